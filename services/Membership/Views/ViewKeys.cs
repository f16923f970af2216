namespace Egov.Steering.Membership.Views;

/// <summary>The names of the cached views: what a change invalidates.</summary>
public static class ViewKeys
{
    /// <summary>The national overview: a row per ministry and province committee, and the national committee.</summary>
    public const string Overview = "overview";

    /// <summary>Every view (a change whose reach is not worth working out, e.g. a person's name).</summary>
    public const string All = "*";

    public static string Committee(string committeeId) => "committee:" + committeeId;
}
