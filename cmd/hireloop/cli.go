package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// errUsage reports that the command line was wrong; the usage text has
// already been printed.
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// environment is what a command may read and write: nothing else in hireloop
// reads the process environment.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// command is one subcommand; nested commands (families import) have subs.
type command struct {
	name    string
	summary string
	usage   string
	flags   func(fs *flag.FlagSet) any
	run     func(ctx context.Context, env *environment, opts any, args []string) error
	subs    []*command
}

func (env *environment) dispatch(ctx context.Context, cmds []*command, args []string) error {
	return env.dispatchAt(ctx, "hireloop", cmds, args)
}

func (env *environment) dispatchAt(ctx context.Context, path string, cmds []*command, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		out := env.stdout
		if len(args) == 0 {
			out = env.stderr
		}
		printCommands(out, path, cmds)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		if len(c.subs) > 0 {
			return env.dispatchAt(ctx, path+" "+c.name, c.subs, args[1:])
		}
		return env.runCommand(ctx, path+" "+c.name, c, args[1:])
	}
	fmt.Fprintf(env.stderr, "%s: unknown command %q\n\n", path, args[0])
	printCommands(env.stderr, path, cmds)
	return errUsage
}

func printCommands(w io.Writer, path string, cmds []*command) {
	fmt.Fprintf(w, "Usage: %s <command> [flags]\n\nCommands:\n", path)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for the flags of a command.\n", path)
	fmt.Fprintf(w, "Every flag can also be set with an environment variable: --data-dir is HIRELOOP_DATA_DIR.\n")
}

func (env *environment) runCommand(ctx context.Context, path string, c *command, args []string) error {
	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var opts any
	if c.flags != nil {
		opts = c.flags(fs)
	}
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: %s %s\n\n%s\n", path, c.usage, c.summary)
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		if len(names) > 0 {
			fmt.Fprintf(w, "\nFlags:\n")
		}
		sort.Strings(names)
		for _, n := range names {
			f := fs.Lookup(n)
			def := ""
			if f.DefValue != "" && f.DefValue != "false" {
				def = fmt.Sprintf(" (default %q)", f.DefValue)
			}
			fmt.Fprintf(w, "  --%-16s %s%s\n                     env %s\n", n, f.Usage, def, envName(n))
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(env.stdout)
			return nil
		}
		fmt.Fprintf(env.stderr, "%s: %v\n\n", path, err)
		usage(env.stderr)
		return errUsage
	}
	if err := env.applyEnv(fs); err != nil {
		return err
	}
	return c.run(ctx, env, opts, fs.Args())
}

// envName is the environment variable that sets a flag: data-dir ->
// HIRELOOP_DATA_DIR.
func envName(flagName string) string {
	return "HIRELOOP_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// applyEnv sets every flag that the command line left alone from its
// environment variable, so flags always win over the environment.
func (env *environment) applyEnv(fs *flag.FlagSet) error {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		if v := env.getenv(envName(f.Name)); v != "" {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s=%q: %v", envName(f.Name), v, e)
			}
		}
	})
	return err
}
