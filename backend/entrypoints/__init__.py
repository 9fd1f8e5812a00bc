"""Entry points: what starts work from outside a request. The command line (`flask --app backend
...`), the scheduler process, and the background jobs that both of them (and the tests) run,
each job in a unit of work of its own."""
