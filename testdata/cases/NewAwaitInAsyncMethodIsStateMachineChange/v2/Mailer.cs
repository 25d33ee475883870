using System.IO;
using System.Threading.Tasks;

namespace Cases;

public class Mailer
{
    public async Task SendAsync(TextWriter outbox, string to, string body)
    {
        await outbox.WriteLineAsync("To: " + to);
        var signature = "-- sent by Cases";
        await outbox.WriteLineAsync(body);
        await outbox.WriteLineAsync(signature);
    }
}
