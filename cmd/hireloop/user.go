package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"hireloop/internal/hiring"
	"hireloop/internal/store"
)

type userCreateOptions struct {
	dbOptions
	email, name, role string
	passwordStdin     bool
}

func userCreateFlags(fs *flag.FlagSet) any {
	o := &userCreateOptions{}
	o.register(fs)
	fs.StringVar(&o.email, "email", "", "the account's email address")
	fs.StringVar(&o.name, "name", "", "the person's name")
	fs.StringVar(&o.role, "role", "", "admin, recruiter, hiring_manager or interviewer")
	fs.BoolVar(&o.passwordStdin, "password-stdin", false, "read the password from the first line of standard input")
	return o
}

func runUserCreate(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*userCreateOptions)
	if err := noArgs(env, args); err != nil {
		return err
	}
	if !o.passwordStdin {
		fmt.Fprintln(env.stderr, "user create: pass --password-stdin and give the password on standard input")
		return errUsage
	}
	line, err := bufio.NewReader(env.stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password from standard input: nothing was given")
	}
	password := strings.TrimRight(line, "\r\n")
	n := hiring.NewUser{Email: o.email, Name: o.name, Role: hiring.UserRole(o.role), Password: password}
	if err := n.Validate(); err != nil {
		return userError(err)
	}
	db, err := o.openStore(ctx, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := store.NewUserService(db).CreateUser(ctx, n)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintf(env.stdout, "created %s (%s)\n", u.Email, u.Role)
	return nil
}

type userTokenOptions struct {
	dbOptions
	email, name string
}

func userTokenFlags(fs *flag.FlagSet) any {
	o := &userTokenOptions{}
	o.register(fs)
	fs.StringVar(&o.email, "email", "", "the account's email address")
	fs.StringVar(&o.name, "name", "command line", "a name to recognise the token by")
	return o
}

func runUserToken(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*userTokenOptions)
	if err := noArgs(env, args); err != nil {
		return err
	}
	if o.email == "" {
		return errNoEmail
	}
	db, err := o.openStore(ctx, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	users := store.NewUserService(db)
	u, err := users.FindUserByEmail(ctx, o.email)
	if err != nil {
		return userError(err)
	}
	secret, _, err := users.CreateToken(ctx, u.ID, o.name)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintln(env.stdout, secret)
	return nil
}

// userError turns a coded error into a message for the terminal, naming each
// wrong field as its flag.
func userError(err error) error {
	fields := hiring.ErrorFields(err)
	if len(fields) == 0 {
		if hiring.ErrorCode(err) == hiring.EINTERNAL {
			return err
		}
		return fmt.Errorf("%s", hiring.ErrorMessage(err))
	}
	var parts []string
	for _, f := range []string{"email", "name", "role", "password"} {
		if m, ok := fields[f]; ok {
			parts = append(parts, "--"+f+": "+m)
		}
	}
	for f, m := range fields {
		if f != "email" && f != "name" && f != "role" && f != "password" {
			parts = append(parts, f+": "+m)
		}
	}
	return fmt.Errorf("%s", strings.Join(parts, "; "))
}
