// Patches are applied to the one process-wide runtime (one transition at a time): tests run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
