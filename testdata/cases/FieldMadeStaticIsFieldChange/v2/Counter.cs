namespace Cases;

public class VisitCounter
{
    private static int _visits;

    public int Visit() => ++_visits;
}
