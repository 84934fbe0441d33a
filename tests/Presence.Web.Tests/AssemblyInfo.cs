// WebApplicationFactory intercepts host construction through a process-wide diagnostic listener; starting several
// in-process hosts at the same moment can mix them up, so the integration test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
