using System.Globalization;

namespace Egov.Steering.ServiceDefaults.Errors;

/// <summary>
/// The one etag scheme of every resource (AIP-154): the resource's change counter as a quoted decimal, <c>"12"</c>.
/// Clients treat it as opaque; the counter must change with every change a client can see.
/// </summary>
public static class EntityTag
{
    public static string Of(long revision) => "\"" + revision.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>An etag the caller sent must be the current one, else ABORTED; none sent (empty): no check.</summary>
    public static void EnsureCurrent(string? requested, long revision, string resourceName)
    {
        if (!string.IsNullOrEmpty(requested) && !string.Equals(requested, Of(revision), StringComparison.Ordinal))
        {
            throw new StaleEtagException(resourceName);
        }
    }
}
