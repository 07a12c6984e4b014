"""Work done outside the request: the job queue (RQ over Redis, or in-process) and periodic jobs."""
