using System.Text;
using PatchGen.Runtime.Observation;

namespace PatchGen.Macro.Jit;

/// <summary>
/// One inlining decision of the JIT, from a MethodJitInliningSucceeded or MethodJitInliningFailed(Ansi) event:
/// <paramref name="Inliner"/> and <paramref name="Inlinee"/> as "Namespace.Type::Name", the reason null on success.
/// </summary>
internal sealed record InlineDecision(string Inliner, string Inlinee, string? FailReason, bool FailAlways)
{
    public bool Succeeded => FailReason is null;

    /// <summary>
    /// The EventPipe configuration of a child process that writes every inlining decision to a file
    /// (startup tracing through DOTNET_EnableEventPipe: no client, nothing missed before the first call).
    /// JitTracing (0x1000) at verbose level carries the inlining events of the release runtime.
    /// </summary>
    public static Dictionary<string, string> TraceEnvironment(string path) => new()
    {
        ["DOTNET_EnableEventPipe"] = "1",
        ["DOTNET_EventPipeOutputPath"] = path,
        ["DOTNET_EventPipeConfig"] = RuntimeEvents.RuntimeProvider + ":0x1000:5",
        // A full buffer drops events; the decisions of a run fit in far less than this.
        ["DOTNET_EventPipeCircularMB"] = "1024",
    };

    /// <summary>Every inlining decision in a trace file; also how many events the runtime dropped.</summary>
    public static (List<InlineDecision> Decisions, long Dropped) ReadTrace(string path)
    {
        var decisions = new List<InlineDecision>();
        using var stream = File.OpenRead(path);
        var reader = new NettraceReader(stream);
        while (reader.TryReadEvent(out var e))
        {
            if (e.Metadata.ProviderName != RuntimeEvents.RuntimeProvider)
                continue;
            var decision = e.Metadata.EventId switch
            {
                RuntimeEvents.MethodJitInliningSucceeded => DecodeSucceeded(e.Payload.Span),
                RuntimeEvents.MethodJitInliningFailed => DecodeFailed(e.Payload.Span, ansi: false),
                RuntimeEvents.MethodJitInliningFailedAnsi => DecodeFailed(e.Payload.Span, ansi: true),
                _ => null,
            };
            if (decision is not null)
                decisions.Add(decision);
        }
        return (decisions, reader.DroppedEvents);
    }

    private static InlineDecision? DecodeSucceeded(ReadOnlySpan<byte> payload)
        => RuntimeEventDecoder.TryDecodeInliningSucceeded(payload, out var record)
            ? new InlineDecision(Name(record.Inliner), Name(record.Inlinee), null, false)
            : null;

    // Template (ClrEtwAll.man): compiled, inliner, inlinee (namespace, name, signature each), FailAlways (win:Boolean,
    // 4 bytes), FailReason (UTF-16, or a NUL-terminated byte string in the Ansi variant, which the JIT fires).
    private static InlineDecision? DecodeFailed(ReadOnlySpan<byte> payload, bool ansi)
    {
        var r = new PayloadReader(payload);
        if (!Skip3(ref r) || !TryName(ref r, out string inliner) || !TryName(ref r, out string inlinee) || !r.TryReadUInt32(out uint always))
            return null;
        string reason;
        if (ansi)
        {
            var rest = payload[(payload.Length - r.Remaining)..];
            int end = rest.IndexOf((byte)0);
            reason = Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
        }
        else if (!r.TryReadString(out reason))
        {
            return null;
        }
        return new InlineDecision(inliner, inlinee, reason, always != 0);
    }

    private static bool Skip3(ref PayloadReader r) => r.TryReadString(out _) && r.TryReadString(out _) && r.TryReadString(out _);

    private static bool TryName(ref PayloadReader r, out string name)
    {
        name = "";
        if (!r.TryReadString(out string ns) || !r.TryReadString(out string n) || !r.TryReadString(out _))
            return false;
        name = ns + "::" + n;
        return true;
    }

    private static string Name(EventMethodName name) => name.Namespace + "::" + name.Name;
}
