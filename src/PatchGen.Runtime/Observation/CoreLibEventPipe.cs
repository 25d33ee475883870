using System.Reflection;

namespace PatchGen.Runtime.Observation;

/// <summary>
/// CoreLib's internal EventPipe entry points, bound once by reflection:
/// <c>EventPipeInternal.Enable(string? outputFile, EventPipeSerializationFormat, uint bufferMB, EventPipeProviderConfiguration[])</c>
/// and <c>EventPipeInternal.Disable(ulong)</c> (dotnet/runtime
/// <c>System.Private.CoreLib/src/System/Diagnostics/Tracing/EventPipe.cs</c>). With an output file the
/// runtime makes a file session (<c>EP_SESSION_TYPE_FILE</c>): no streaming thread, everything written at
/// disable. They are internal, so a runtime that renamed them leaves <see cref="Unavailable"/> set, and
/// <see cref="InProcessTraceSession"/>'s callers fall back to the diagnostic server.
/// </summary>
internal static class CoreLibEventPipe
{
    private const string InternalType = "System.Diagnostics.Tracing.EventPipeInternal";
    private const string ConfigurationType = "System.Diagnostics.Tracing.EventPipeProviderConfiguration";
    private const string FormatType = "System.Diagnostics.Tracing.EventPipeSerializationFormat";
    private const string NetTraceFormat = "NetTrace";

    private static readonly (Binding? Bound, string? Unavailable) State = Bind();

    /// <summary>Why the entry points cannot be used on this runtime, or null when they can.</summary>
    public static string? Unavailable => State.Unavailable;

    /// <summary>Enables a file session writing to <paramref name="path"/>; 0 when the runtime refused it.</summary>
    public static ulong Enable(string path, IReadOnlyList<EventPipeProvider> providers, uint bufferMB)
    {
        var bound = State.Bound ?? throw new NotSupportedException(State.Unavailable);
        var configurations = Array.CreateInstance(bound.ConfigurationType, providers.Count);
        for (int i = 0; i < providers.Count; i++)
        {
            var provider = providers[i];
            configurations.SetValue(bound.NewConfiguration.Invoke(new object?[] { provider.Name, provider.Keywords, (uint)provider.Level, provider.FilterData }), i);
        }

        return (ulong)bound.Enable.Invoke(null, new object[] { path, bound.NetTrace, bufferMB, configurations })!;
    }

    public static void Disable(ulong sessionId)
    {
        var bound = State.Bound ?? throw new NotSupportedException(State.Unavailable);
        bound.Disable.Invoke(null, new object[] { sessionId });
    }

    private sealed record Binding(MethodInfo Enable, MethodInfo Disable, ConstructorInfo NewConfiguration, Type ConfigurationType, object NetTrace);

    private static (Binding?, string?) Bind()
    {
        const BindingFlags Static = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;
        var coreLib = typeof(object).Assembly;
        var eventPipe = coreLib.GetType(InternalType);
        var configuration = coreLib.GetType(ConfigurationType);
        var format = coreLib.GetType(FormatType);
        if (eventPipe is null || configuration is null || format is null || !format.IsEnum || !Enum.IsDefined(format, NetTraceFormat))
        {
            return (null, $"this runtime's CoreLib has no {InternalType} of the expected shape");
        }

        var enable = eventPipe.GetMethod("Enable", Static, new[] { typeof(string), format, typeof(uint), configuration.MakeArrayType() });
        var disable = eventPipe.GetMethod("Disable", Static, new[] { typeof(ulong) });
        var newConfiguration = configuration.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, new[] { typeof(string), typeof(ulong), typeof(uint), typeof(string) });
        if (enable is null || enable.ReturnType != typeof(ulong) || disable is null || newConfiguration is null)
        {
            return (null, $"this runtime's {InternalType} has no Enable/Disable of the expected signatures");
        }

        return (new Binding(enable, disable, newConfiguration, configuration, Enum.Parse(format, NetTraceFormat)), null);
    }
}
