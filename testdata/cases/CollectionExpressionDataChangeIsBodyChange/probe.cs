// Reads the Small span (and IsSmall, which uses it); v2's last prime is 13 instead of 11.
public static class Probe
{
    public static string Run()
        => string.Join(",", Cases.Primes.Small.ToArray()) + " 11:" + Cases.Primes.IsSmall(11) + " 13:" + Cases.Primes.IsSmall(13)
            + " " + string.Join(",", Cases.Primes.Names());
}
