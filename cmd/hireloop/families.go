package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"hireloop/internal/handbook"
	"hireloop/internal/hiring"
	"hireloop/internal/store"
)

type importOptions struct {
	dbOptions
	dryRun bool
	json   bool
}

func importFlags(fs *flag.FlagSet) any {
	o := &importOptions{}
	o.register(fs)
	fs.BoolVar(&o.dryRun, "dry-run", false, "read and report, change nothing in the catalog")
	fs.BoolVar(&o.json, "json", false, "print one JSON document with the families read and the warnings")
	return o
}

func runImport(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*importOptions)
	if len(args) == 0 {
		fmt.Fprintln(env.stderr, "families import: name at least one file or folder")
		return errUsage
	}
	progress := newProgress(env.stderr, "reading")
	res, err := handbook.ImportPaths(args, progress.update)
	progress.done()
	if err != nil {
		return err
	}
	families := res.Families()
	warnings := res.Warnings()

	if !o.dryRun {
		db, err := o.openStore(ctx, discardLogger())
		if err != nil {
			return err
		}
		defer db.Close()
		svc := store.NewFamilyService(db)
		saving := newProgress(env.stderr, "saving")
		var created, updated, unchanged, archived int
		for i, f := range families {
			r, err := svc.ImportFamily(ctx, f)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Source, err)
			}
			switch {
			case r.Unchanged:
				unchanged++
			case r.Created:
				created++
			default:
				updated++
			}
			archived += len(r.Archived)
			saving.update(i+1, len(families), f.Source)
		}
		saving.done()
		fmt.Fprintf(env.stderr, "%d families: %d new, %d updated, %d unchanged; %d roles archived\n",
			len(families), created, updated, unchanged, archived)
	}

	if o.json {
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res.Document())
	}
	for _, w := range warnings {
		fmt.Fprintf(env.stdout, "%s:%d: %s\n", w.Source, w.Line, w.Message)
	}
	roles := 0
	for _, f := range families {
		roles += len(f.Roles)
	}
	fmt.Fprintf(env.stdout, "read %d files: %d families, %d roles, %d warnings\n", len(res.Pages), len(families), roles, len(warnings))
	return nil
}

func runExport(ctx context.Context, env *environment, opts any, args []string) error {
	o := opts.(*dbOptions)
	if len(args) != 1 {
		fmt.Fprintln(env.stderr, "families export: name one folder to write into")
		return errUsage
	}
	dir := args[0]
	db, err := o.openStore(ctx, discardLogger())
	if err != nil {
		return err
	}
	defer db.Close()
	svc := store.NewFamilyService(db)
	var all []*hiring.Family
	for offset := 0; ; {
		page, total, err := svc.FindFamilies(ctx, hiring.FamilyFilter{Offset: offset, Limit: 500})
		if err != nil {
			return err
		}
		all = append(all, page...)
		offset += len(page)
		if len(page) == 0 || offset >= total {
			break
		}
	}
	progress := newProgress(env.stderr, "writing")
	for i, f := range all {
		full, err := svc.FindFamilyByID(ctx, f.ID)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, filepath.FromSlash(handbook.ExportPath(full)))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, handbook.Render(full), 0o644); err != nil {
			return err
		}
		progress.update(i+1, len(all), path)
	}
	progress.done()
	fmt.Fprintf(env.stdout, "wrote %d families to %s\n", len(all), dir)
	return nil
}
