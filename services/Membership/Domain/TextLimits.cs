namespace Egov.Steering.Membership.Domain;

/// <summary>
/// The longest text the register keeps in each kind of field, in characters: the columns are declared with them, and
/// every text that reaches one is checked against them first, whether an RPC or a decision's change carries it (a
/// change longer than its column would otherwise pass the dry run and fail the application).
/// </summary>
public static class TextLimits
{
    /// <summary>Names of committees, posts, working groups, organisations and focal agencies; a role's wording.</summary>
    public const int Name = 300;

    /// <summary>A person's name and each of their other names.</summary>
    public const int PersonName = 200;

    /// <summary>Why a membership ended.</summary>
    public const int Reason = 500;

    /// <summary>Descriptions and a working group's purpose.</summary>
    public const int Description = 4000;
}
