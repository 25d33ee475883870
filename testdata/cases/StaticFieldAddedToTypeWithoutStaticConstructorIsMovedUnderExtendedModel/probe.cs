// v1 only trims the name; v2 splits it on a new static array of separators (a field initializer
// that gives the class a static constructor it did not have) and joins the words with one space.
public static class Probe
{
    public static string Run() => new Cases.Greeting("  Ada_\tLovelace ").Text();
}
