namespace Cases;

public record Point(int X, int Y)
{
    public int Manhattan() => System.Math.Abs(X) + System.Math.Abs(Y);
}
