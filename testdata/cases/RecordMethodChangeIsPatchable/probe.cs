// Address.Label: v2 puts the zip code before the city.
public static class Probe
{
    public static string Run() => new Cases.Address("1 Main St", "Springfield", "12345").Label();
}
