using System.IO;
using System.Threading.Tasks;

namespace Cases;

public class Mailer
{
    public async Task SendAsync(TextWriter outbox, string to, string body)
    {
        await outbox.WriteLineAsync("To: " + to);
        await outbox.WriteLineAsync(body);
    }
}
