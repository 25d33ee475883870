// Describes policies made by each constructor: v2's field initializer sets 5 attempts instead of 3
// (the chaining constructor overrides it in both).
public static class Probe
{
    public static string Run()
        => new Cases.RetryPolicy().Describe() + ", " + new Cases.RetryPolicy("named").Describe() + ", " + new Cases.RetryPolicy("chained", 7).Describe();
}
