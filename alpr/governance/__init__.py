"""The only door to ALPR data for people: every service here checks who asks, their role and
training, and their justification, and writes the access record in the same transaction as
the query before anything is returned."""
