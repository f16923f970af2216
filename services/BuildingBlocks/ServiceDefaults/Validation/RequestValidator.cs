using System.Globalization;
using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.Text;

namespace Egov.Steering.ServiceDefaults.Validation;

/// <summary>
/// Collects every problem with a request (field path + reason) so the caller fixes them all at once, then
/// <see cref="ThrowIfInvalid"/> raises INVALID_ARGUMENT with a BadRequest listing them. Each check returns the
/// value the service should use (normalised text, clamped page size) so validation and normalisation happen once.
/// </summary>
public sealed class RequestValidator
{
    private readonly List<FieldViolation> violations = [];

    public IReadOnlyList<FieldViolation> Violations => violations;

    public bool IsValid => violations.Count == 0;

    public RequestValidator Add(string field, string description)
    {
        violations.Add(new FieldViolation(field, description));
        return this;
    }

    /// <summary>
    /// Human text: NFC-normalised and trimmed; rejects control characters, U+FFFD (what invalid UTF-8 decodes to),
    /// more than <paramref name="maxLength"/> characters, and — when required — empty or whitespace-only text.
    /// Returns the normalised text ("" when absent and optional).
    /// </summary>
    public string Text(string field, string? value, int maxLength, bool required = true, bool allowLineBreaks = false)
    {
        var text = VietnameseText.Normalize(value ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            if (required)
            {
                Add(field, "is required and must not be blank");
            }

            return text;
        }

        if (text.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters (has {text.Length})");
        }

        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            Add(field, "contains U+FFFD (the replacement character): the text was not valid UTF-8");
        }

        if (text.Any(character => char.IsControl(character) && !(allowLineBreaks && character is '\n' or '\r' or '\t')))
        {
            Add(field, "must not contain control characters");
        }

        return text;
    }

    /// <summary>A required value of a message or scalar field.</summary>
    public bool Required<T>(string field, T? value)
    {
        var present = value switch
        {
            null => false,
            string text => text.Length > 0,
            _ => true,
        };
        if (!present)
        {
            Add(field, "is required");
        }

        return present;
    }

    /// <summary>A resource name matching <paramref name="template"/>; returns its ids, or null when absent or invalid.</summary>
    public IReadOnlyList<string>? ResourceName(string field, string? value, ResourceNameTemplate template, bool required = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                Add(field, $"is required (a resource name such as {template.Pattern})");
            }

            return null;
        }

        var ids = template.Match(value);
        if (ids is null)
        {
            Add(field, $"must be a resource name of the form {template.Pattern} with ids of 1-63 characters a-z, 0-9 and '-'");
        }

        return ids;
    }

    /// <summary>A protobuf enum: a defined value, and not the zero UNSPECIFIED value when required.</summary>
    public TEnum Enum<TEnum>(string field, TEnum value, bool required = true)
        where TEnum : struct, Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            Add(field, $"has the unknown value {Convert.ToInt64(value, CultureInfo.InvariantCulture)}");
        }
        else if (required && Convert.ToInt64(value, CultureInfo.InvariantCulture) == 0)
        {
            Add(field, "is required (UNSPECIFIED is not a value)");
        }

        return value;
    }

    /// <summary>
    /// AIP-158 page size: negative is invalid, 0 means <paramref name="defaultSize"/>, above
    /// <paramref name="maxSize"/> is coerced down to it. Returns the size to use.
    /// </summary>
    public int PageSize(string field, int value, int defaultSize, int maxSize)
    {
        if (value < 0)
        {
            Add(field, "must not be negative");
            return defaultSize;
        }

        return value == 0 ? defaultSize : Math.Min(value, maxSize);
    }

    /// <summary>A complete calendar date (year, month and day all set and valid).</summary>
    public DateOnly? Date(string field, Google.Type.Date? value, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }

            return null;
        }

        if (!IsCalendarDate(value.Year, value.Month, value.Day))
        {
            Add(field, $"must be a valid date with year, month and day (got {value.Year:D4}-{value.Month:D2}-{value.Day:D2})");
            return null;
        }

        return new DateOnly(value.Year, value.Month, value.Day);
    }

    /// <summary>
    /// A date that may be known only to the year (month and day 0) or to the month (day 0), as sources often say
    /// no more; a day without a month is invalid.
    /// </summary>
    public bool PartialDate(string field, Google.Type.Date? value, bool required = true)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "is required");
            }

            return false;
        }

        var valid = value switch
        {
            { Year: < 1 or > 9999 } => false,
            { Month: 0, Day: 0 } => true,
            { Month: >= 1 and <= 12, Day: 0 } => true,
            _ => IsCalendarDate(value.Year, value.Month, value.Day),
        };
        if (!valid)
        {
            Add(field, "must be a valid date: year, year and month, or year, month and day");
        }

        return valid;
    }

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new RequestValidationException(violations.ToArray());
        }
    }

    private static bool IsCalendarDate(int year, int month, int day) =>
        year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
}
