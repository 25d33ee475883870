using System;
using System.IO;
using System.Threading.Tasks;

namespace Cases;

public class Uploader
{
    private int _active;

    public async Task<long> UploadAsync(Stream source, Stream target)
    {
        _active++;
        try
        {
            await source.CopyToAsync(target);
            return target.Length;
        }
        finally
        {
            _active = Math.Max(0, _active - 1);
        }
    }
}
