"""One repository per aggregate; each wraps a Session it is given."""
