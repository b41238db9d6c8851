package web

// WaitGuideResends waits until the requests for new private links that the
// server answered have been carried out, so tests can read the outbox.
func (s *Server) WaitGuideResends() { s.guide.work.Wait() }
