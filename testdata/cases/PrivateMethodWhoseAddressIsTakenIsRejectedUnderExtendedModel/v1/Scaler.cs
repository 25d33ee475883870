namespace Cases;

public class Scaler
{
    public System.Func<int, int> Doubler() => Twice;

    public int Apply(int x) => Twice(x);

    private static int Twice(int x) => x * 2;
}
