using System;
using System.Collections.Generic;

namespace PatchGen.Diagnostics
{
    /// <summary>
    /// The diagnostics catalogue of shared/spec/diagnostics.md, defined once. An ID never changes
    /// meaning and is never reused. Messages name members in C# terms, never compiler-generated names.
    /// </summary>
    public static class DiagnosticCatalog
    {
        // PG0xxx: input, tool and apply errors.
        public static readonly DiagnosticDescriptor InputUnreadable = new DiagnosticDescriptor(
            "PG0001", DiagnosticSeverity.Error,
            "an input is missing, unreadable, not a managed assembly, or has corrupt metadata",
            "{0}: {1}");

        public static readonly DiagnosticDescriptor AssemblyNameMismatch = new DiagnosticDescriptor(
            "PG0002", DiagnosticSeverity.Error,
            "base and new assemblies are not versions of the same assembly",
            "{0}: assembly '{1}' is not a version of base assembly '{2}'");

        public static readonly DiagnosticDescriptor BaseNotPatchable = new DiagnosticDescriptor(
            "PG0003", DiagnosticSeverity.Error,
            "the base assembly has no patch sites",
            "{0}: the base assembly has no patch sites (it was not built patchable), so no patch could take effect; use 'patchgen instrument' or <PatchGenPatchable>true</PatchGenPatchable>");

        public static readonly DiagnosticDescriptor NoSymbols = new DiagnosticDescriptor(
            "PG0004", DiagnosticSeverity.Warning,
            "no symbols (PDB) found for an input",
            "{0}: no symbols (PDB) found; diagnostics carry no source location");

        public static readonly DiagnosticDescriptor PatchForOtherBase = new DiagnosticDescriptor(
            "PG0005", DiagnosticSeverity.Error,
            "a patch was built for another base",
            "{0}: the patch was built for base MVID {1}, but the loaded '{2}' has MVID {3}");

        public static readonly DiagnosticDescriptor PatchSignatureInvalid = new DiagnosticDescriptor(
            "PG0006", DiagnosticSeverity.Error,
            "a patch is unsigned or its signature does not verify against a trusted key",
            "{0}: {1}");

        public static readonly DiagnosticDescriptor NothingToPatch = new DiagnosticDescriptor(
            "PG0007", DiagnosticSeverity.Info,
            "nothing to patch: no method body differs",
            "nothing to patch: no method body differs between '{0}' and '{1}'");

        public static readonly DiagnosticDescriptor UnsupportedConstruct = new DiagnosticDescriptor(
            "PG0008", DiagnosticSeverity.Error,
            "a changed method uses a construct the patch emitter cannot reproduce",
            "{0} uses {1}, which the patch emitter cannot reproduce");

        // PG1xxx: prototype changes, rejected under the simple model.
        public static readonly DiagnosticDescriptor SignatureChanged = new DiagnosticDescriptor(
            "PG1001", DiagnosticSeverity.Error,
            "an existing method's signature changed",
            "the signature of {0} changed to {1}: callers compiled against the old signature would break");

        public static readonly DiagnosticDescriptor GenericsChanged = new DiagnosticDescriptor(
            "PG1002", DiagnosticSeverity.Error,
            "generic arity or constraints of an existing method or type changed",
            "the generic {1} of {0} changed");

        public static readonly DiagnosticDescriptor DispatchLayoutChanged = new DiagnosticDescriptor(
            "PG1003", DiagnosticSeverity.Error,
            "dispatch layout changed",
            "{0}: {1}; virtual dispatch tables of live types cannot change");

        public static readonly DiagnosticDescriptor TypeShapeChanged = new DiagnosticDescriptor(
            "PG1004", DiagnosticSeverity.Error,
            "an existing type's shape changed",
            "{0}: {1}");

        public static readonly DiagnosticDescriptor InterfaceMembersChanged = new DiagnosticDescriptor(
            "PG1005", DiagnosticSeverity.Error,
            "a member was added to or removed from an interface",
            "{0} was {1} interface {2}: implementers in the live process do not have it");

        public static readonly DiagnosticDescriptor NoBodyToReplace = new DiagnosticDescriptor(
            "PG1006", DiagnosticSeverity.Error,
            "a method with no IL body to replace changed",
            "{0} changed, but it is {1}: there is no IL body to replace");

        // PG2xxx: data changes, rejected under the simple model.
        public static readonly DiagnosticDescriptor FieldAdded = new DiagnosticDescriptor(
            "PG2001", DiagnosticSeverity.Error,
            "a field was added to an existing type",
            "{0} adds a field to existing type {1}: live objects do not have it (attach the data with a shadow variable instead)");

        public static readonly DiagnosticDescriptor FieldRemoved = new DiagnosticDescriptor(
            "PG2002", DiagnosticSeverity.Error,
            "a field was removed from an existing type",
            "{0} was removed from existing type {1}: live objects and unpatched code still use it");

        public static readonly DiagnosticDescriptor FieldChanged = new DiagnosticDescriptor(
            "PG2003", DiagnosticSeverity.Error,
            "an existing field changed",
            "{0} changed {1}");

        public static readonly DiagnosticDescriptor StaticInitializerChanged = new DiagnosticDescriptor(
            "PG2004", DiagnosticSeverity.Error,
            "a static constructor or static field initializer changed",
            "the static initialization of {0} changed: it already ran in the live process");

        public static readonly DiagnosticDescriptor ConstantChanged = new DiagnosticDescriptor(
            "PG2005", DiagnosticSeverity.Error,
            "the value of a const field or an enum member changed",
            "{0} changed from {1} to {2}: constants are copied into every caller");

        public static readonly DiagnosticDescriptor LayoutChanged = new DiagnosticDescriptor(
            "PG2006", DiagnosticSeverity.Error,
            "a type's layout changed",
            "the layout of {0} changed: {1}");

        public static readonly DiagnosticDescriptor ResourcesChanged = new DiagnosticDescriptor(
            "PG2007", DiagnosticSeverity.Error,
            "manifest resources changed",
            "manifest resource '{0}' was {1}: the live process keeps its own resources");

        // PG3xxx: patchable, with a caveat the author must know.
        public static readonly DiagnosticDescriptor AccessibilityChanged = new DiagnosticDescriptor(
            "PG3001", DiagnosticSeverity.Warning,
            "an existing member's accessibility changed",
            "the accessibility of {0} changed from {1} to {2}: reflection and other assemblies still see the old one");

        public static readonly DiagnosticDescriptor AttributesChanged = new DiagnosticDescriptor(
            "PG3002", DiagnosticSeverity.Warning,
            "custom attributes of an existing type or member changed",
            "the attributes of {0} changed ({1}): the live process keeps the old ones");

        public static readonly DiagnosticDescriptor MemberRemoved = new DiagnosticDescriptor(
            "PG3003", DiagnosticSeverity.Info,
            "a method was removed",
            "{0} was removed: code that is not patched keeps calling the old one");

        public static readonly DiagnosticDescriptor ConstructorChanged = new DiagnosticDescriptor(
            "PG3004", DiagnosticSeverity.Info,
            "an instance constructor changed",
            "constructor {0} changed: only objects constructed after the patch see it");

        public static readonly DiagnosticDescriptor StateMachineChanged = new DiagnosticDescriptor(
            "PG3005", DiagnosticSeverity.Info,
            "an async or iterator method changed",
            "{1} method {0} changed: instances already in flight finish on the old code, new calls run the new code");

        public static readonly DiagnosticDescriptor LambdaChanged = new DiagnosticDescriptor(
            "PG3006", DiagnosticSeverity.Info,
            "a lambda or local function changed",
            "a lambda or local function in {0} changed: delegates created before the patch keep the old body");

        public static readonly DiagnosticDescriptor MemberAdded = new DiagnosticDescriptor(
            "PG3007", DiagnosticSeverity.Info,
            "a new method or type was added",
            "{0} was added: it ships inside the patch");

        public static readonly DiagnosticDescriptor LifetimeFunctionChanged = new DiagnosticDescriptor(
            "PG3008", DiagnosticSeverity.Warning,
            "a function that runs for the life of the process changed",
            "{0} runs for the life of the process ({1}): the code running in it now never leaves it and keeps the old body, and a transition that waits for its thread completes only with force");

        // PG4xxx: runtime (apply, transition, removal).
        public static readonly DiagnosticDescriptor TransitionStalled = new DiagnosticDescriptor(
            "PG4001", DiagnosticSeverity.Warning,
            "a transition has not completed within its deadline",
            "the transition of {0} has not completed after {1}: {2}");

        public static readonly DiagnosticDescriptor TransitionForced = new DiagnosticDescriptor(
            "PG4002", DiagnosticSeverity.Warning,
            "a transition was forced",
            "the transition of {0} was forced: the affected patches can never be unloaded");

        public static readonly DiagnosticDescriptor PatchConflict = new DiagnosticDescriptor(
            "PG4003", DiagnosticSeverity.Error,
            "a patch conflicts with the patches already applied",
            "{0} conflicts with the applied patches: {1}");

        public static readonly DiagnosticDescriptor CallbackFailed = new DiagnosticDescriptor(
            "PG4004", DiagnosticSeverity.Error,
            "a patch callback threw",
            "the {1} callback of {0} threw {2}; nothing changed");

        public static readonly DiagnosticDescriptor TransitionInProgress = new DiagnosticDescriptor(
            "PG4005", DiagnosticSeverity.Error,
            "another transition is in progress",
            "{0} was refused: the transition of {1} is still in progress");

        private static readonly Dictionary<string, DiagnosticDescriptor> ById = Index();

        /// <summary>Every descriptor, in ID order.</summary>
        public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
        {
            InputUnreadable, AssemblyNameMismatch, BaseNotPatchable, NoSymbols, PatchForOtherBase,
            PatchSignatureInvalid, NothingToPatch, UnsupportedConstruct,
            SignatureChanged, GenericsChanged, DispatchLayoutChanged, TypeShapeChanged, InterfaceMembersChanged, NoBodyToReplace,
            FieldAdded, FieldRemoved, FieldChanged, StaticInitializerChanged, ConstantChanged, LayoutChanged, ResourcesChanged,
            AccessibilityChanged, AttributesChanged, MemberRemoved, ConstructorChanged, StateMachineChanged, LambdaChanged, MemberAdded, LifetimeFunctionChanged,
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
}
