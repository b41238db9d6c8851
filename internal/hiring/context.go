package hiring

import "context"

type actorKey struct{}

// NewContextWithActor returns a context that carries the user acting in a
// request, so that services can record who made each change.
func NewContextWithActor(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, actorKey{}, u)
}

// ActorFromContext returns the acting user, or nil for anonymous requests and
// command-line work.
func ActorFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(actorKey{}).(*User)
	return u
}
