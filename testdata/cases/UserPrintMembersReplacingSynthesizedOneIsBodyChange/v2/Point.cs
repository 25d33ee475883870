namespace Cases;

public record Point(int X, int Y)
{
    public int Manhattan() => System.Math.Abs(X) + System.Math.Abs(Y);

    protected virtual bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("X = ").Append(X).Append(", Y = ").Append(Y);
        return true;
    }
}
