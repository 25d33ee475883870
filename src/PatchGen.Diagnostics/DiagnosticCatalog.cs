using System;
using System.Collections.Generic;

namespace PatchGen.Diagnostics;

/// <summary>
/// The diagnostics catalogue, defined once: every front end (CLI, MSBuild task, analyzer, runtime)
/// formats these entries, and docs/diagnostics.md is generated from them. An ID never changes meaning
/// and is never reused; a new ID goes at the end of its range. Messages name members in C# terms,
/// never compiler-generated names.
/// </summary>
public static class DiagnosticCatalog
{
    // PG0xxx: input, tool and apply errors.
    public static readonly DiagnosticDescriptor InputUnreadable = new DiagnosticDescriptor(
        "PG0001", DiagnosticSeverity.Error,
        "an input is missing, unreadable, not a managed assembly, or has corrupt metadata",
        "{0}: {1}",
        description: "An input cannot be used: a file is missing, is a directory, cannot be read, is not a managed assembly, is truncated, or its metadata or IL cannot be decoded. The same ID covers the other inputs of the tool: a command line that does not parse, a source diff that does not apply, a project that does not build, a process with no control channel, a patch the runtime cannot load, and (as a warning of the analyzer) a baseline manifest that cannot be read. The message starts with the input it is about.",
        howToFix: "Check the file, folder, option or process the message names. A usage error points to the command's `--help`; a diff that does not apply or a project that does not build names the first error's file and line.");

    public static readonly DiagnosticDescriptor AssemblyNameMismatch = new DiagnosticDescriptor(
        "PG0002", DiagnosticSeverity.Error,
        "base and new assemblies are not versions of the same assembly",
        "{0}: assembly '{1}' is not a version of base assembly '{2}'",
        description: "The base and new assemblies have different simple names (compared ordinally): they are not two builds of one assembly.",
        howToFix: "Compare two builds of the same project: the build that runs in production (base) and the build with the fix (new).");

    public static readonly DiagnosticDescriptor BaseNotPatchable = new DiagnosticDescriptor(
        "PG0003", DiagnosticSeverity.Error,
        "the base assembly has no patch sites",
        "{0}: the base assembly has no patch sites (it was not built patchable), so no patch could take effect; use 'patchgen instrument' or <PatchGenPatchable>true</PatchGenPatchable>",
        description: "The base assembly has no patch sites: it lacks `PatchGen.Runtime.PatchableAssemblyAttribute`, which `patchgen instrument` and the PatchGen.Build property `<PatchGenPatchable>` add, so no patch could take effect in a process running it. The runtime refuses a patch for such a base. An error for `patchgen build`, which then writes nothing; `patchgen diff` reports it as a warning, since the comparison itself still holds.",
        howToFix: "Make the production build patchable (`patchgen instrument`, or `<PatchGenPatchable>true</PatchGenPatchable>` with PatchGen.Build), deploy that build, and build patches against it.");

    public static readonly DiagnosticDescriptor NoSymbols = new DiagnosticDescriptor(
        "PG0004", DiagnosticSeverity.Warning,
        "no symbols (PDB) found for an input",
        "{0}: no symbols (PDB) found; diagnostics carry no source location",
        description: "No portable PDB was found for an input, neither beside the assembly nor embedded in it (a Windows PDB counts as none): diagnostics carry no source file and line.",
        howToFix: "Build with portable or embedded symbols (`<DebugType>portable</DebugType>`, the SDK's default, or embedded) and keep the .pdb beside the assembly.");

    public static readonly DiagnosticDescriptor PatchForOtherBase = new DiagnosticDescriptor(
        "PG0005", DiagnosticSeverity.Error,
        "a patch was built for another base",
        "{0}: the patch was built for base MVID {1} of '{2}', but {3}",
        description: "A patch records the MVID of the build it was made for, and the assembly loaded in the process has another MVID: the patch was built for a different build. A patch of several assemblies records one MVID per base, and is refused when any of them differs or any base is not loaded in the process at all (its fix would take effect by halves). The runtime refuses it and nothing changes.",
        howToFix: "Build the patch against the exact build the process runs (`patchgen build --base <that build>`). `patchgen inspect` shows the base MVID a patch is bound to.");

    public static readonly DiagnosticDescriptor PatchSignatureInvalid = new DiagnosticDescriptor(
        "PG0006", DiagnosticSeverity.Error,
        "a patch is unsigned or its signature does not verify against a trusted key",
        "{0}: {1}",
        description: "The process trusts at least one key (`PatchRuntime.TrustPublicKey`, or `PATCHGEN_TRUSTED_KEYS`) and the patch is unsigned, signed with another key, or its strong-name signature does not verify (the file changed after signing); also for every patch when a file `PATCHGEN_TRUSTED_KEYS` lists cannot be read or holds no key (fail closed). The runtime refuses the patch and nothing changes.",
        howToFix: "Sign the patch with a key the process trusts (`patchgen build ... --sign <key.snk>`); `patchgen inspect` shows a patch's signature status. See docs/patch-signing.md.");

    public static readonly DiagnosticDescriptor NothingToPatch = new DiagnosticDescriptor(
        "PG0007", DiagnosticSeverity.Info,
        "nothing to patch: no method body differs",
        "nothing to patch: no method body differs between '{0}' and '{1}'",
        description: "No method body differs between the two builds (for example, only comments or whitespace changed). `patchgen diff` and `patchgen build` exit with code 3; build writes nothing.",
        howToFix: "Nothing to patch. Check that the new build really contains the fix.");

    public static readonly DiagnosticDescriptor UnsupportedConstruct = new DiagnosticDescriptor(
        "PG0008", DiagnosticSeverity.Error,
        "a changed method uses a construct the patch emitter cannot reproduce",
        "{0} uses {1}, which the patch emitter cannot reproduce",
        description: "A changed method, or code it owns, uses something the patch emitter cannot reproduce in a patch: the `jmp` instruction, `arglist`, a varargs (`__arglist`) call or definition, or a constructor the fix adds to an existing type (a live type cannot gain one); also a changed method for which the base has no patch site. The message names the member and the construct.",
        howToFix: "Write the fix without the construct the message names: for example, call an existing constructor, or a static factory method the fix adds, instead of adding a constructor to an existing type.");

    public static readonly DiagnosticDescriptor InternalError = new DiagnosticDescriptor(
        "PG0009", DiagnosticSeverity.Error,
        "patchgen failed unexpectedly",
        "{0}: internal error ({1}); this is a bug in PatchGen, please report it",
        description: "`patchgen` failed in a way none of its parts anticipates: an exception that no part of PatchGen turns into one of the diagnostics above. It is a bug in PatchGen, not a problem of the input. The message names the command line and the exception; the exit code is 2, as for every PG0xxx error.",
        howToFix: "Report it, with the command line and this line. Meanwhile, a different way to the same result (for example `patchgen build --base --new` instead of `--project --diff`) may avoid the failing code.");

    public static readonly DiagnosticDescriptor FixSpansProjects = new DiagnosticDescriptor(
        "PG0010", DiagnosticSeverity.Error,
        "a source fix changes a project the patched projects do not build",
        "{0}: the fix changes {1}, which belongs to project {2}, but the patch is built for {3}; nothing was built",
        description: "`patchgen build --project --diff` (and `patchgen demo`) builds one patch of every assembly the fix changes among the named projects (`--project`, repeated, or a solution's: every project it lists) and the projects they reference (`<ProjectReference>`, transitively; a multi-assembly patch, switched in one transition), and the diff changes a file that belongs to a project outside them (the nearest folder above the file that holds a project file is another project's). Built anyway, the patch would carry part of the fix and leave the rest out without a word: a request could then see one half of the fix without the other. The diff is checked before anything is built.",
        howToFix: "Name projects that build every project the fix changes (`--project`: usually the application's, which references its libraries, or the solution; repeat it for several; `--source-root` the folder the diff's paths are relative to), or build the patch with one `--base`/`--new` pair per changed assembly.");

    // PG1xxx: prototype changes, rejected under the simple model.
    public static readonly DiagnosticDescriptor SignatureChanged = new DiagnosticDescriptor(
        "PG1001", DiagnosticSeverity.Error,
        "an existing method's signature changed",
        "the signature of {0} changed to {1}: callers compiled against the old signature would break",
        description: "An existing method's signature changed: parameter count or types, ref kinds (`ref`, `out`, `in`), return type, static or instance, calling convention or custom modifiers; likewise the type or parameters of a property, an event or an indexer. Callers compiled against the old signature would break, and a replacement must have the signature of the method it replaces.",
        howToFix: "Keep the old signature and change only the body. If the fix needs a new parameter, add a new method (it ships inside the patch, PG3007) and make the old method's body call it. Under the extended model (`--model extended`), a private or internal method whose every caller the fix replaces is shipped as a helper instead (PG3010).");

    public static readonly DiagnosticDescriptor GenericsChanged = new DiagnosticDescriptor(
        "PG1002", DiagnosticSeverity.Error,
        "generic arity or constraints of an existing method or type changed",
        "the generic {1} of {0} changed",
        description: "The generic arity of an existing method or type changed, or the constraints, variance or special constraints (`class`, `struct`, `new()`, `unmanaged`, `allows ref struct`) of one of its generic parameters.",
        howToFix: "Keep the generic parameters and their constraints; put code that needs others in a new method or type.");

    public static readonly DiagnosticDescriptor DispatchLayoutChanged = new DiagnosticDescriptor(
        "PG1003", DiagnosticSeverity.Error,
        "dispatch layout changed",
        "{0}: {1}; virtual dispatch tables of live types cannot change",
        description: "Dispatch layout changed: a virtual, abstract or override method (or a property or event with virtual accessors) was added to or removed from a class, or an existing method's virtual, abstract, sealed or new-slot flags or explicit overrides changed. The virtual dispatch tables of live types cannot change.",
        howToFix: "Keep the set of virtual members as it is: put the fix in the bodies of the existing methods and overrides, or in new non-virtual methods.");

    public static readonly DiagnosticDescriptor TypeShapeChanged = new DiagnosticDescriptor(
        "PG1004", DiagnosticSeverity.Error,
        "an existing type's shape changed",
        "{0}: {1}",
        description: "An existing type's shape changed: its kind (class, struct, interface, enum, delegate; a struct's `ref` and `readonly` included), base type, implemented interfaces, its abstract, sealed or static modifier, or an enum's underlying type.",
        howToFix: "Keep the type's declaration as it is. A new type with the new shape can ship inside the patch (PG3007).");

    public static readonly DiagnosticDescriptor InterfaceMembersChanged = new DiagnosticDescriptor(
        "PG1005", DiagnosticSeverity.Error,
        "a member was added to or removed from an interface",
        "{0} was {1} interface {2}: implementers in the live process do not have it",
        description: "A method, property or event was added to or removed from an interface (default implementations and static members included): implementers in the live process do not have it.",
        howToFix: "Leave the interface as it is; put the new operation in a new interface or type, or in a helper method.");

    public static readonly DiagnosticDescriptor NoBodyToReplace = new DiagnosticDescriptor(
        "PG1006", DiagnosticSeverity.Error,
        "a method with no IL body to replace changed",
        "{0} changed, but it is {1}: there is no IL body to replace",
        description: "A method with no IL body to replace changed: an extern method, a P/Invoke (`DllImport`, or the stub `LibraryImport` generates), an internal call, a runtime-implemented method (a delegate's `Invoke`) or an abstract method; or a method gained or lost its body.",
        howToFix: "Leave the declaration as it is and change the managed code that calls it instead.");

    // PG2xxx: data changes, rejected under the simple model.
    public static readonly DiagnosticDescriptor FieldAdded = new DiagnosticDescriptor(
        "PG2001", DiagnosticSeverity.Error,
        "a field was added to an existing type",
        "{0} adds a field to existing type {1}: live objects do not have it (attach the data with a shadow variable instead)",
        description: "A field (instance or static) was added to an existing type, including an auto-property's backing field, a field-like event's field and a captured primary-constructor parameter (each reported under the member the author wrote). Objects in the live process do not have it.",
        howToFix: "Attach the data to existing objects with a shadow variable (`PatchGen.Runtime.ShadowVariables`); the analyzer's code fix turns an added field into one. Or keep the data in a new type, which ships inside the patch. Under the extended model (`--model extended`), a static field added to an existing type moves into the patch instead (PG3011), and an instance field added to a plain class becomes a shadow variable (PG3012).");

    public static readonly DiagnosticDescriptor FieldRemoved = new DiagnosticDescriptor(
        "PG2002", DiagnosticSeverity.Error,
        "a field was removed from an existing type",
        "{0} was removed from existing type {1}: live objects and unpatched code still use it",
        description: "A field was removed from an existing type: live objects and the code that is not patched still use it.",
        howToFix: "Keep the field and stop using it in the fixed code; remove it in the next regular release. Under the extended model (`--model extended`), a field removed from a class that no serializer enumerates is kept and ignored instead (PG3009).");

    public static readonly DiagnosticDescriptor FieldChanged = new DiagnosticDescriptor(
        "PG2003", DiagnosticSeverity.Error,
        "an existing field changed",
        "{0} changed {1}",
        description: "An existing field changed: its type (a fixed-size buffer's element type and length included), static or instance, `readonly`, `volatile`, `const`-ness, marshalling, or `[ThreadStatic]`.",
        howToFix: "Keep the field as it is. If the fix needs data of another type, attach it with a shadow variable (`PatchGen.Runtime.ShadowVariables`).");

    public static readonly DiagnosticDescriptor StaticInitializerChanged = new DiagnosticDescriptor(
        "PG2004", DiagnosticSeverity.Error,
        "a static constructor or static field initializer changed",
        "the static initialization of {0} changed: it already ran in the live process",
        description: "A static constructor changed, was added or was removed (static field initializers are compiled into it). It already ran in the live process and will not run again.",
        howToFix: "Leave static initialization as it is. To change state once when the patch is applied, use a post-patch callback (`[PatchCallback(PatchCallbackKind.PostPatch)]`, docs/patch-format.md).");

    public static readonly DiagnosticDescriptor ConstantChanged = new DiagnosticDescriptor(
        "PG2005", DiagnosticSeverity.Error,
        "the value of a const field or an enum member changed",
        "{0} changed from {1} to {2}: constants are copied into every caller",
        description: "The value of a `const` field or an enum member changed (for a `const decimal`, its type is part of its value), or a parameter's default value changed: constants and default values are copied into every caller when it is compiled, so the callers would keep the old value.",
        howToFix: "Keep the constant, and use the new value in the fixed method: a literal, or a constant the fix adds (an added constant is PG3007 and ships inside the patch).");

    public static readonly DiagnosticDescriptor LayoutChanged = new DiagnosticDescriptor(
        "PG2006", DiagnosticSeverity.Error,
        "a type's layout changed",
        "the layout of {0} changed: {1}",
        description: "A type's layout changed: the `StructLayout` kind, `Pack` or `Size`, the length of an `[InlineArray]` struct, or, for a sequential or explicit layout, the order of the instance fields or an explicit `FieldOffset`.",
        howToFix: "Keep the layout: live objects and native callers depend on it.");

    public static readonly DiagnosticDescriptor ResourcesChanged = new DiagnosticDescriptor(
        "PG2007", DiagnosticSeverity.Error,
        "manifest resources changed",
        "manifest resource '{0}' was {1}: the live process keeps its own resources",
        description: "A manifest resource was added, removed or changed: the live process keeps its own resources.",
        howToFix: "Ship resource changes in a regular release.");

    public static readonly DiagnosticDescriptor AutoPropertyAccessorChanged = new DiagnosticDescriptor(
        "PG2008", DiagnosticSeverity.Error,
        "an auto-property accessor changed",
        "{0} is an auto-property accessor in the base, and the fix changes its body: such an accessor has no patch site (its body is its backing field's), so no patch can redirect it",
        description: "An accessor the compiler wrote for an auto-property in the base build (`ldarg.0; ldfld <P>k__BackingField; ret`, or the setter's `stfld`) has another body in the fix: C# 14's `field` keyword gives it one (`get => field ?? \"\"`), and so does a hand-written body over the same backing field. The instrumenter gives such accessors no patch site: their body follows from the field, and they are the hottest, smallest methods of most code, which must stay exactly as the compiler wrote them (docs/patch-sites.md). Changing one changes what the property stores or returns, as a data change does.",
        howToFix: "Make the fix in the code that reads or sets the property, or ship the accessor change in a regular release. A property whose accessor may need a fix later can be given an explicit body now: an accessor with a body of its own gets a patch site.");

    // PG3xxx: patchable, with a caveat the author must know.
    public static readonly DiagnosticDescriptor AccessibilityChanged = new DiagnosticDescriptor(
        "PG3001", DiagnosticSeverity.Warning,
        "an existing member's accessibility changed",
        "the accessibility of {0} changed from {1} to {2}: reflection and other assemblies still see the old one",
        description: "The accessibility of an existing type, method or field changed: reflection and other assemblies still see the old accessibility.",
        howToFix: "Usually nothing: a patch may use private members of the base anyway (it is emitted with `IgnoresAccessChecksTo`). The new accessibility takes effect with the next regular release.");

    public static readonly DiagnosticDescriptor AttributesChanged = new DiagnosticDescriptor(
        "PG3002", DiagnosticSeverity.Warning,
        "custom attributes of an existing type or member changed",
        "the attributes of {0} changed ({1}): the live process keeps the old ones",
        description: "The custom attributes of an existing type, method (its return value and parameters included), field, property or event changed, or a method's `MethodImpl` flags: the live process keeps the old ones. Attributes the compiler manages on its own (nullable metadata, state-machine markers, `CompilerGenerated`, debugger hints) are not compared.",
        howToFix: "Accept that the attribute change takes effect with the next regular release, or leave the attributes as they are.");

    public static readonly DiagnosticDescriptor MemberRemoved = new DiagnosticDescriptor(
        "PG3003", DiagnosticSeverity.Info,
        "a method was removed",
        "{0} was removed: code that is not patched keeps calling the old one",
        description: "A method, constant, type, property or event was removed (when no error rule applies): code that is not patched keeps calling the old one, which stays in the live process.",
        howToFix: "Nothing, if unpatched callers may keep using the old member.");

    public static readonly DiagnosticDescriptor ConstructorChanged = new DiagnosticDescriptor(
        "PG3004", DiagnosticSeverity.Info,
        "an instance constructor changed",
        "constructor {0} changed: only objects constructed after the patch see it",
        description: "An instance constructor's body changed (instance field initializers are compiled into constructors): only objects constructed after the patch see it; existing objects were built by the old constructor.",
        howToFix: "If existing objects need what the new constructor sets up, have the fixed methods set it up when they first meet an object that lacks it.");

    public static readonly DiagnosticDescriptor StateMachineChanged = new DiagnosticDescriptor(
        "PG3005", DiagnosticSeverity.Info,
        "an async or iterator method changed",
        "{1} method {0} changed: instances already in flight finish on the old code, new calls run the new code",
        description: "The body of an async method, an iterator or an async iterator changed (or of an async or iterator lambda or local function replaced in place): instances already in flight finish on the old code, new calls run the new code.",
        howToFix: "Nothing, if calls already in flight may finish the old way.");

    public static readonly DiagnosticDescriptor LambdaChanged = new DiagnosticDescriptor(
        "PG3006", DiagnosticSeverity.Info,
        "a lambda or local function changed",
        "a lambda or local function in {0} changed: delegates created before the patch keep the old body",
        description: "A lambda, local function or closure of the base build is neither matched with the same lambda of the new build (same owner, same closure shape, same place among its siblings; such a lambda is replaced in place, through its own patch site) nor found unchanged: the owner is replaced and ships the lambda as a new helper, so delegates created before the patch keep the old body. Adding a new lambda alone does not raise it.",
        howToFix: "Nothing, if delegates that already exist (cached handlers, callbacks registered at startup) may keep the old behaviour. Otherwise keep the lambda's identity (change its body, not what it captures or its place among lambdas of the same shape) so that it is replaced in place, or create the delegates again after the patch, for example in a post-patch callback.");

    public static readonly DiagnosticDescriptor MemberAdded = new DiagnosticDescriptor(
        "PG3007", DiagnosticSeverity.Info,
        "a new method or type was added",
        "{0} was added: it ships inside the patch",
        description: "A method, type, constant, property or event was added (when no error rule applies): it ships inside the patch.",
        howToFix: "Nothing.");

    public static readonly DiagnosticDescriptor LifetimeFunctionChanged = new DiagnosticDescriptor(
        "PG3008", DiagnosticSeverity.Warning,
        "a function that runs for the life of the process changed",
        "{0} runs for the life of the process ({1}): the code running in it now never leaves it and keeps the old body, and a transition that waits for its thread completes only with force",
        description: "The body of a function that runs for the life of the process changed, as far as metadata tells: the module's entry point (`Main`, or `<Main>$` of top-level statements), or the user method an async entry point's synthesized `<Main>` waits on, or a hosted service's loop (an override of `Microsoft.Extensions.Hosting.BackgroundService.ExecuteAsync`, which the host calls once at start). The activation running in it never returns, so it keeps the old body, and a transition that waits for its thread completes only with `patchgen force` (the runtime's PG4001 says so too).",
        howToFix: "Expect the entry point's own new body to take effect only at the next start. Keep logic that may need fixing in methods the entry point calls, not in its body: those can be patched. If a transition waits on the entry point's thread, only `patchgen force` completes it (PG4002); that thread then keeps the old body of the entry point and runs the patch's code in every call it makes.");

    public static readonly DiagnosticDescriptor RemovedFieldKept = new DiagnosticDescriptor(
        "PG3009", DiagnosticSeverity.Warning,
        "a removed field stays in live objects, unused (extended model)",
        "{0} was removed from existing type {1}: under the extended model the live field stays and is ignored; objects created before the patch keep its last value and new objects its default, and no patched code reads or writes it",
        description: "Under the extended model (`--model extended`, `<PatchGenModel>extended</PatchGenModel>`), a field the fix removes from a class is not a rejection (PG2002): the fix's code cannot use it (it is gone from v2), every method of v1 that used it and is still in v2 is replaced, so the field stays in live objects and nothing patched reads or writes it. Objects created before the patch keep the value the field had; objects created after it get the field's default value, since the patched constructors no longer set it; a method of v1 that the fix removed is not replaced and still uses it, as it did. Only for a class with automatic layout that no serializer enumerates: a struct, a type with sequential or explicit layout, or a `[Serializable]` or `[DataContract]` type still gets PG2002 (docs/diff-rules.md#the-extended-model).",
        howToFix: "Nothing, if nothing outside the code (reflection by name, a debugger, a memory dump reader) depends on the field's value being kept up to date. Remove the field for real in the next regular release.");

    public static readonly DiagnosticDescriptor SignatureChangedCallersReplaced = new DiagnosticDescriptor(
        "PG3010", DiagnosticSeverity.Warning,
        "a private or internal method's signature changed, and every caller is replaced (extended model)",
        "the signature of {0} changed to {1}: under the extended model the new method ships in the patch as a helper and every caller of the old one is replaced; the old method stays in the live process, no longer called by patched code",
        description: "Under the extended model (`--model extended`, `<PatchGenModel>extended</PatchGenModel>`), the signature of a method changed (what is PG1001 under the simple model), and nothing outside the patch can call the old one: it is private, or internal in an assembly without `InternalsVisibleTo`; it is not virtual, abstract, an override or an interface implementation; no code of the base takes its address (`ldftn`, `ldvirtftn`, `ldtoken`: a delegate made before the patch would keep calling it) or names it in a string (reflection); and every method of the base that calls it (the owner, for a lambda, local function or state machine) has a new body in the patch, or is gone from the fix. The new method ships in the patch as a method the fix adds (PG3007's way), the patched callers call it, and the old method stays, unused by patched code; a thread that was inside it when the patch was enabled finishes the old body. The analyzer cannot see callers in IL: it reports neither this nor PG1001 for such a method, and the patch build decides.",
        howToFix: "Nothing, if no one calls the old method by reflection with a name the diff cannot see. Otherwise keep the old signature (a new method the old one calls is PG3007).");

    public static readonly DiagnosticDescriptor AddedStaticFieldMoved = new DiagnosticDescriptor(
        "PG3011", DiagnosticSeverity.Warning,
        "a static field added to an existing type lives in the patch (extended model)",
        "{0} adds a static field to existing type {1}: under the extended model it lives in the patch, and its initializer runs there once, before patched code first uses it; code that is not patched never sees it, and its value goes with the patch (disable and unload discard it, a later patch has its own)",
        description: "Under the extended model (`--model extended`, `<PatchGenModel>extended</PatchGenModel>`), a static field the fix adds to an existing type (what is PG2001 under the simple model) becomes a static field of the patch's holder for that type, and every `ldsfld`, `stsfld` and `ldsflda` of it in patched code points there. Its initializer, taken from v2's static constructor (a field initializer, or a statement of the explicit static constructor that stores it), runs in the holder's static constructor: once per load of the patch, before patched code first reads or writes the field, against the live process's state at that moment. v2's static constructor minus those initializers must be v1's (else PG2004, as under the simple model). Code that is not patched never sees the field; when the patch is disabled v1's code runs without it, and unloading the patch discards its value; a second patch that carries the same field has its own copy, initialised again (stacked on the first without being cumulative, it is refused: PG4003). Refused (PG2001 stays) for a `[ThreadStatic]` field, a field of a generic type (the holder is not generic: there is no per-instantiation storage for it), a field with RVA data, explicit layout or marshalling, and a field that code of v2 names in a string (reflection on the live type would not find it); an initializer that reads a static field of the type which v2's static constructor assigns only later, that stores to another existing static field, or that uses a local it did not set, is not moved (PG2004) (docs/diff-rules.md#the-extended-model).",
        howToFix: "Nothing, if the field's value may start again from its initializer when the patch is loaded (a cache, a compiled `Regex`, a counter that only the fix uses). If its value must survive a cumulative replacement of the patch, carry it in a shadow variable instead (`PatchGen.Runtime.ShadowVariables`).");

    public static readonly DiagnosticDescriptor AddedInstanceFieldShadowed = new DiagnosticDescriptor(
        "PG3012", DiagnosticSeverity.Warning,
        "an instance field added to an existing type is a shadow variable (extended model)",
        "{0} adds an instance field to existing type {1}: under the extended model patched code keeps it in a shadow variable of each object; objects created before the patch see the field's initializer if it is a constant and its default value otherwise, objects created after it what the new constructor assigns, code that is not patched never sees it, and disabling the patch discards every value",
        description: "Under the extended model (`--model extended`, `<PatchGenModel>extended</PatchGenModel>`), an instance field the fix adds to an existing class (what is PG2001 under the simple model) is attached to each object as a shadow variable (`PatchGen.Runtime.ShadowVariables`, one box per object and field): every `ldfld`, `stfld` and `ldflda` of it in patched code becomes a call to a helper of the patch. An object created before the patch gets the box on first use, holding the field's initial value: the constant the new constructors store before calling the base constructor (`= 5`, `= \"x\"`, `= null`), or the type's default if the initializer is not a constant (it could have side effects, or depend on the constructor's arguments). An object created after the patch gets what the new constructor assigns, since the replaced constructors store through the helper (PG3004). Code that is not patched never sees the field; disabling the patch removes every object's value (a post-unpatch callback), and a second patch that carries the same field must be a cumulative replacement (PG4003). Only for a class with automatic layout that no serializer enumerates (as PG3009), not generic nor nested in a generic type, for a field that is not volatile, not a fixed-size buffer nor of a pointer type, has no explicit offset or marshalling, and that no code of v2 names in a string (reflection on the live type would not find it); otherwise PG2001 (docs/diff-rules.md#the-extended-model).",
        howToFix: "Nothing, if existing objects may start from the initial value the message names. If they need a value computed from their state, have the fixed methods compute it when they first meet an object whose field still has that value.");

    // PG4xxx: runtime (apply, transition, removal).
    public static readonly DiagnosticDescriptor TransitionStalled = new DiagnosticDescriptor(
        "PG4001", DiagnosticSeverity.Warning,
        "a transition has not completed within its deadline",
        "the transition of {0} has not completed after {1}: {2}",
        description: "A transition has not completed within its deadline: some threads still run, or may be about to enter, a function it changes. The message lists those threads (OS and managed thread ID, name) and the patched functions on their stacks. The transition goes on.",
        howToFix: "Wait: a thread switches as soon as no changed function is on its stack. A thread that never leaves one (a loop or a blocking call inside a patched function) keeps it open: disable the patch to reverse the transition, or complete it with `patchgen force` (PG4002).");

    public static readonly DiagnosticDescriptor TransitionForced = new DiagnosticDescriptor(
        "PG4002", DiagnosticSeverity.Warning,
        "a transition was forced",
        "the transition of {0} was forced: the affected patches can never be unloaded",
        description: "A transition was forced (`patchgen force`, `PatchRuntime.Force`): it was completed whatever the threads were running, so a thread may still run code of the other side. The patches that may still have threads in their code (the patch a forced disable removes, the patches a forced atomic replace replaces) can never be unloaded; unloading one is refused with this ID.",
        howToFix: "Force only when PG4001 names a thread that will never leave, and running both versions side by side is safe for that patch. Only a restart removes a forced patch's code from the process.");

    public static readonly DiagnosticDescriptor PatchConflict = new DiagnosticDescriptor(
        "PG4003", DiagnosticSeverity.Error,
        "a patch conflicts with the patches already applied",
        "{0} conflicts with the applied patches: {1}",
        description: "A patch operation conflicts with the patches already applied: a patch with the same ID is loaded; the patch declares a system state version other than the one established, or replaces a patch that established a system state without declaring it; another patch is stacked on the one being disabled; the patch keeps its own copy of a static field its fix adds (extended model, PG3011) and an enabled patch of the same base keeps one too, and it is not cumulative; or the patch is not in a state the operation needs (disabling a patch that is not enabled, unloading one that is not disabled, forcing when no transition is in progress, naming a patch that is not loaded).",
        howToFix: "See the patches and their states with `patchgen list`. Give every patch its own ID, keep system-state declarations consistent from one cumulative patch to the next (docs/patch-format.md), and disable a stacked patch before the one below it.");

    public static readonly DiagnosticDescriptor CallbackFailed = new DiagnosticDescriptor(
        "PG4004", DiagnosticSeverity.Error,
        "a patch callback threw",
        "the {1} callback of {0} threw {2}; nothing changed",
        description: "A patch callback threw. A pre-patch or pre-unpatch callback that throws stops the operation before anything changed; a post callback that throws has its operation undone through the consistency model. The message names the callback and the exception.",
        howToFix: "Fix the callback; callbacks should not throw, and should leave things as they found them when they cannot complete.");

    public static readonly DiagnosticDescriptor TransitionInProgress = new DiagnosticDescriptor(
        "PG4005", DiagnosticSeverity.Error,
        "another transition is in progress",
        "{0} was refused: the transition of {1} is still in progress",
        description: "A patch operation was refused because another operation or transition is in progress: the runtime runs one transition at a time. Disabling the patch whose enable is in progress is not refused: it reverses that transition.",
        howToFix: "Wait for the transition to complete (`patchgen list` shows it), or complete it with `patchgen force`, then try again.");

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = Index();

    /// <summary>Every descriptor, in ID order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        InputUnreadable, AssemblyNameMismatch, BaseNotPatchable, NoSymbols, PatchForOtherBase,
        PatchSignatureInvalid, NothingToPatch, UnsupportedConstruct, InternalError, FixSpansProjects,
        SignatureChanged, GenericsChanged, DispatchLayoutChanged, TypeShapeChanged, InterfaceMembersChanged, NoBodyToReplace,
        FieldAdded, FieldRemoved, FieldChanged, StaticInitializerChanged, ConstantChanged, LayoutChanged, ResourcesChanged, AutoPropertyAccessorChanged,
        AccessibilityChanged, AttributesChanged, MemberRemoved, ConstructorChanged, StateMachineChanged, LambdaChanged, MemberAdded, LifetimeFunctionChanged,
        RemovedFieldKept, SignatureChangedCallersReplaced, AddedStaticFieldMoved, AddedInstanceFieldShadowed,
        TransitionStalled, TransitionForced, PatchConflict, CallbackFailed, TransitionInProgress,
    };

    /// <summary>Looks a descriptor up by ID; throws for an unknown ID, which is a programming error.</summary>
    public static DiagnosticDescriptor Get(string id)
    {
        if (ById.TryGetValue(id, out var descriptor))
            return descriptor;
        throw new ArgumentException("unknown PatchGen diagnostic ID: " + id, nameof(id));
    }

    private static Dictionary<string, DiagnosticDescriptor> Index()
    {
        var index = new Dictionary<string, DiagnosticDescriptor>(StringComparer.Ordinal);
        foreach (var field in typeof(DiagnosticCatalog).GetFields())
        {
            if (field.GetValue(null) is DiagnosticDescriptor descriptor)
                index.Add(descriptor.Id, descriptor);
        }
        return index;
    }
}
