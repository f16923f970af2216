using System.Collections.Concurrent;
using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Egov.Steering.Messaging.Outbox;

/// <summary>
/// Finds the generated class of a stored protobuf full name, so the relay can publish a row written by another
/// process (or before a restart) as its typed message.
/// </summary>
internal static class ProtobufMessageTypes
{
    private static readonly ConcurrentDictionary<string, MessageDescriptor> Known = new(StringComparer.Ordinal);
    private static readonly Lock ScanLock = new();

    public static void Register(MessageDescriptor descriptor) => Known.TryAdd(descriptor.FullName, descriptor);

    public static MessageDescriptor Find(string fullName)
    {
        if (Known.TryGetValue(fullName, out var descriptor))
        {
            return descriptor;
        }

        lock (ScanLock)
        {
            foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().Where(ReferencesProtobuf))
            {
                foreach (var type in LoadableTypes(assembly).Where(t => typeof(IMessage).IsAssignableFrom(t) && !t.IsAbstract))
                {
                    if (type.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) is MessageDescriptor found)
                    {
                        Register(found);
                    }
                }
            }
        }

        return Known.TryGetValue(fullName, out descriptor)
            ? descriptor
            : throw new InvalidOperationException($"no generated protobuf class for message type '{fullName}' is loaded");
    }

    private static bool ReferencesProtobuf(Assembly assembly) =>
        !assembly.IsDynamic && assembly.GetReferencedAssemblies().Any(a => a.Name == "Google.Protobuf");

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException)
        {
            return [];
        }
    }
}
