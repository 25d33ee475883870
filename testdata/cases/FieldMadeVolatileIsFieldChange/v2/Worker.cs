namespace Cases;

public class OrderWorker
{
    private volatile bool _stopping;

    public void Stop() => _stopping = true;

    public int Drain(int pending)
    {
        int done = 0;
        while (!_stopping && done < pending)
            done++;
        return done;
    }
}
