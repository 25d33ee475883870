using Mono.Cecil;

/// <summary>What the diff engine's loading decodes (PatchGen.Diff AssemblyInput.TouchEverything), nothing more.</summary>
internal static class CecilReading
{
    /// <returns>The number of methods with a body.</returns>
    public static int TouchEverything(ModuleDefinition module)
    {
        int bodies = 0;
        foreach (var type in module.GetTypes())
        {
            _ = type.GenericParameters.Count;
            _ = type.BaseType?.FullName;
            foreach (var i in type.Interfaces)
                _ = i.InterfaceType.FullName;
            TouchAttributes(type);
            foreach (var field in type.Fields)
            {
                _ = field.FieldType.FullName;
                _ = field.HasConstant ? field.Constant : null;
                _ = field.InitialValue;
                TouchAttributes(field);
            }
            foreach (var method in type.Methods)
            {
                _ = method.GenericParameters.Count;
                _ = method.Overrides.Count;
                TouchAttributes(method);
                TouchAttributes(method.MethodReturnType);
                foreach (var p in method.Parameters)
                {
                    _ = p.HasConstant ? p.Constant : null;
                    TouchAttributes(p);
                }
                if (method.HasBody)
                {
                    var body = method.Body;
                    foreach (var instruction in body.Instructions)
                        _ = instruction.Operand;
                    _ = body.ExceptionHandlers.Count;
                    _ = method.DebugInformation.HasSequencePoints;
                    bodies++;
                }
            }
            foreach (var property in type.Properties)
                TouchAttributes(property);
            foreach (var evt in type.Events)
                TouchAttributes(evt);
        }
        foreach (var resource in module.Resources)
        {
            if (resource is EmbeddedResource embedded)
                _ = embedded.GetResourceData();
        }
        return bodies;
    }

    private static void TouchAttributes(ICustomAttributeProvider provider)
    {
        foreach (var attribute in provider.CustomAttributes)
        {
            _ = attribute.Constructor.FullName;
            _ = attribute.GetBlob();
        }
    }
}
