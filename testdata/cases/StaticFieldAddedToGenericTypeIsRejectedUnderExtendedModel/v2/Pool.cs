namespace Cases;

public static class Pool<T> where T : new()
{
    private static int _rented;

    public static T Rent()
    {
        _rented++;
        return new T();
    }
}
