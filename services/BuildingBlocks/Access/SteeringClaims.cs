using System.Text;

namespace Egov.Steering.Access;

/// <summary>The JWT claims the services read (kept as sent: inbound claim mapping is off).</summary>
public static class SteeringClaims
{
    public const string Subject = "sub";

    /// <summary>The caller's organisation code (see <see cref="ReferenceData.Organisations"/>).</summary>
    public const string Organisation = "org";

    /// <summary>OpenID Connect caps <c>sub</c> at 255 characters (and so does the audit table).</summary>
    public const int MaxSubjectLength = 255;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Why <paramref name="subject"/> cannot be a caller's subject, or null when it can: the services refuse such a
    /// token, so steeringctl refuses to mint one.
    /// </summary>
    public static string? ProblemWithSubject(string subject) =>
        string.IsNullOrWhiteSpace(subject) || subject.Length > MaxSubjectLength || subject.Any(char.IsControl) || !IsWellFormedText(subject)
            ? $"the 'sub' claim must be a string of 1 to {MaxSubjectLength} characters, not blank, without control characters"
            : null;

    // A lone surrogate cannot be stored or logged as text.
    private static bool IsWellFormedText(string value)
    {
        try
        {
            _ = StrictUtf8.GetByteCount(value);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }
}
