"""authmfa: sign-in with a password and a second factor."""
