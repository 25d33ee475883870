namespace Cases;

public class Scaler
{
    public System.Func<int, int> Doubler() => x => Twice(x, 2);

    public int Apply(int x) => Twice(x, 2);

    private static int Twice(int x, int factor) => x * factor;
}
