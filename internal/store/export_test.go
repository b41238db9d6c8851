package store

import "github.com/alexedwards/argon2id"

// UseCheapHashing makes password hashing fast for tests; the strength of the
// hash is not what they check.
func UseCheapHashing(s *UserService) {
	s.params = &argon2id.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
}
