using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>An error about one named resource: its ErrorInfo carries the name and a ResourceInfo detail follows.</summary>
public abstract class ResourceException(StatusCode code, string reason, string resourceName, string message)
    : ApiException(code, reason, message)
{
    public string ResourceName { get; } = resourceName;

    protected override IEnumerable<KeyValuePair<string, string>> Metadata() => [new("resource", ResourceName)];

    protected override IEnumerable<IMessage> Details() =>
        [new ResourceInfo { ResourceName = ResourceName, ResourceType = CollectionOf(ResourceName) }];

    // "committees/gia-lai/memberships/m1" → "memberships": the kind of resource, as AIP-122 names collections.
    private static string CollectionOf(string resourceName)
    {
        var segments = resourceName.Split('/');
        return segments.Length >= 2 ? segments[^2] : string.Empty;
    }
}

/// <summary>NOT_FOUND: the named resource does not exist (or the caller may not know it exists).</summary>
public sealed class ResourceNotFoundException(string resourceName)
    : ResourceException(StatusCode.NotFound, "RESOURCE_NOT_FOUND", resourceName, $"{resourceName} not found");

/// <summary>ALREADY_EXISTS: a create named a resource that is already there.</summary>
public sealed class ResourceAlreadyExistsException(string resourceName)
    : ResourceException(StatusCode.AlreadyExists, "RESOURCE_ALREADY_EXISTS", resourceName, $"{resourceName} already exists");

/// <summary>ABORTED: the request's etag is not the resource's current one; read it again and retry.</summary>
public sealed class StaleEtagException(string resourceName)
    : ResourceException(
        StatusCode.Aborted,
        "ETAG_MISMATCH",
        resourceName,
        $"{resourceName} was changed since the etag was read; read it again and retry");
