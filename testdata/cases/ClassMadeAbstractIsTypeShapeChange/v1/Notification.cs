namespace Cases;

public class Notification
{
    public string Recipient { get; set; } = "";

    public virtual string Render() => "Hello " + Recipient;
}
