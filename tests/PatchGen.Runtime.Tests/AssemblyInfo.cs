// The runtime is process-wide state (one transition at a time): its tests run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
