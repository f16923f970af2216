using Egov.Steering.ServiceDefaults.Errors;

namespace Egov.Steering.Membership.UseCases;

/// <summary>
/// A change of the fields a field mask names (AIP-134), with the etag the client read; the paths are the contract's
/// field names. Every update use case opens it the same way (<see cref="Open"/>) and then sets what the mask names.
/// </summary>
public sealed record Update<TValues>(string ETag, IReadOnlySet<string> Paths, TValues Values)
{
    /// <summary>The prologue of every update: the resource exists, the caller may change it, the etag sent is current.</summary>
    /// <exception cref="ResourceNotFoundException">No such resource.</exception>
    /// <exception cref="StaleEtagException">The resource changed since the client read it.</exception>
    public TResource Open<TResource>(TResource? resource, string resourceName, Func<TResource, long> revision, Action<TResource> authorize)
        where TResource : class
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(authorize);
        if (resource is null)
        {
            throw new ResourceNotFoundException(resourceName);
        }

        authorize(resource);
        EntityTag.EnsureCurrent(ETag, revision(resource), resourceName);
        return resource;
    }

    /// <summary>Sets a field when the mask names it.</summary>
    public void Set(string path, Action<TValues> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (Paths.Contains(path))
        {
            set(Values);
        }
    }
}
