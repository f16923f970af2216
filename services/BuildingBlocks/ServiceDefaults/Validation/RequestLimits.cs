namespace Egov.Steering.ServiceDefaults.Validation;

/// <summary>
/// What every request of every service is held to before its method runs (services/BuildingBlocks/ServiceDefaults/README.md);
/// each method's own validation is stricter where its fields call for it.
/// </summary>
public static class RequestLimits
{
    /// <summary>A whole request message; larger ones are RESOURCE_EXHAUSTED before they are read.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    /// <summary>One string field, in UTF-16 characters (the longest text a service keeps is 4,000), or one bytes field in bytes.</summary>
    public const int MaxStringLength = 4096;

    /// <summary>Elements of one repeated or map field (a decision holds at most 1,000 changes).</summary>
    public const int MaxElements = 1000;
}
