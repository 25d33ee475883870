using System.Collections.Concurrent;
using Mono.Cecil;

namespace PatchGen.Diff.Closures;

/// <summary>
/// The same-code check of <see cref="UnchangedBodies"/>, run ahead on a thread of its own while the rules compare the
/// builds on theirs: every method of a user type of the base build with its namesake (same type, name, parameter count
/// and generic arity) in the new one, type by type in the order the rules take them. The rules' thread takes a verdict
/// "alike" from here for the very pair of methods it matched, and settles any other pair itself, as before; on a
/// machine with a core to spare, most of the 37,945 matched methods of Roslyn's two builds are settled here first.
/// </summary>
/// <remarks>
/// Determinism: "alike" is exact (the two closures render to the same text) and a function of the two methods alone,
/// whichever thread and whichever caches compute it: this thread has its own renderers and its own
/// <see cref="UnchangedBodies"/>, and what it shares with the rules' thread is only read (Cecil objects read in full
/// when the builds were loaded, or read under Cecil's module lock, and the instrumentation already undone). Taking a
/// verdict from here or computing it changes nothing but who spent the time: the report is the same. Anything this
/// thread cannot tell, or a failure, leaves the pair to the rules' thread. The verdicts are published through a
/// concurrent dictionary (its writes happen before the reads that find them).
/// </remarks>
internal sealed class SameCodeAhead
{
    private readonly ConcurrentDictionary<MethodDefinition, MethodDefinition> _alike = new();
    private readonly Task _checking;
    private volatile bool _stopped;

    private SameCodeAhead(ModuleDefinition @base, ModuleDefinition @new)
    {
        _checking = Task.Factory.StartNew(() => CheckAll(@base, @new), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Starts checking (under the simple model: the extended one renders some code of the new build otherwise).</summary>
    public static SameCodeAhead Start(ModuleDefinition @base, ModuleDefinition @new) => new(@base, @new);

    /// <summary>Whether <paramref name="b"/> and <paramref name="n"/> were found to have the same code (false: not checked here, or not found alike).</summary>
    public bool Alike(MethodDefinition b, MethodDefinition n) => _alike.TryGetValue(b, out var match) && ReferenceEquals(match, n);

    /// <summary>How many pairs were found alike so far (for tests).</summary>
    public int Count => _alike.Count;

    /// <summary>Stops checking and waits for the thread to end: after this, nothing but the caller reads the builds.</summary>
    public void Stop()
    {
        _stopped = true;
        try
        {
            _checking.Wait();
        }
        catch (AggregateException)
        {
            // A failure here only left pairs to the rules' thread, which meets it again if it is one.
        }
    }

    /// <summary>For tests: waits until every pair has been checked.</summary>
    internal void WaitForAll() => _checking.Wait();

    private void CheckAll(ModuleDefinition @base, ModuleDefinition @new)
    {
        var baseRenderer = new ClosureRenderer(@base);
        var newRenderer = new ClosureRenderer(@new);
        var bodies = new UnchangedBodies(baseRenderer, newRenderer);
        var newTypes = new Dictionary<string, TypeDefinition>(StringComparer.Ordinal);
        foreach (var type in @new.GetTypes())
        {
            if (GeneratedCode.IsUserType(type))
                newTypes.TryAdd(type.FullName, type);
        }
        // The rules take the types by metadata name, ordinal: so does this, to stay ahead of them.
        var baseTypes = @base.GetTypes().Where(GeneratedCode.IsUserType).Select(t => (Name: t.FullName, Type: t)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        // A method's namesake: same name, parameter count and generic arity (of several such overloads, none is paired
        // here: the rules' thread checks them; a wrong pair would only be found not alike). Cheaper than full names,
        // which would be written for every method of both builds.
        var newMethods = new Dictionary<(string Name, int Parameters, int Generic), MethodDefinition?>();
        foreach (var (name, type) in baseTypes)
        {
            if (_stopped)
                return;
            if (!newTypes.TryGetValue(name, out var newType))
                continue;
            newMethods.Clear();
            foreach (var method in newType.Methods)
            {
                if (!method.HasBody)
                    continue;
                var key = (method.Name, method.Parameters.Count, method.GenericParameters.Count);
                newMethods[key] = newMethods.ContainsKey(key) ? null : method;
            }
            foreach (var method in type.Methods)
            {
                if (method.HasBody && newMethods.TryGetValue((method.Name, method.Parameters.Count, method.GenericParameters.Count), out var match)
                    && match is not null && bodies.Compare(method, match) == true)
                    _alike.TryAdd(method, match);
            }
        }
    }
}
