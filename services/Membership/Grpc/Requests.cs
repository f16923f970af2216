using System.Text.RegularExpressions;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Mapping;
using Egov.Steering.Membership.UseCases;
using Egov.Steering.ReferenceData;
using Egov.Steering.ServiceDefaults.Paging;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Text;
using Google.Protobuf;
using T = Egov.Steering.Types.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>Checks and conversions every Membership RPC shares, on top of <see cref="RequestValidator"/>.</summary>
internal static partial class Requests
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int MaxQueryLength = 200;

    /// <summary>The as_of date of a read: a complete date, or <paramref name="today"/> (in Vietnam) when unset.</summary>
    public static DateOnly AsOf(this RequestValidator validator, Google.Type.Date? asOf, DateOnly today, string field = "as_of") =>
        asOf is null ? today : validator.Date(field, asOf) ?? today;

    public static int PageSize(this RequestValidator validator, int pageSize) =>
        validator.PageSize("page_size", pageSize, DefaultPageSize, MaxPageSize);

    /// <summary>The id of a resource name, or null (with a violation) when absent or malformed.</summary>
    public static string? Id(this RequestValidator validator, string field, string name, ResourceNameTemplate template, bool required = true) =>
        validator.ResourceName(field, name, template, required)?[^1];

    /// <summary>
    /// How every Update RPC starts (AIP-134): the resource is required, its name says which one to change, and the
    /// mask which of its fields (see <see cref="Mask"/>).
    /// </summary>
    public static (T Input, string? Id, HashSet<string> Paths) UpdateTarget<T>(
        this RequestValidator validator,
        string field,
        T? resource,
        Func<T, string> nameOf,
        ResourceNameTemplate template,
        Google.Protobuf.WellKnownTypes.FieldMask? mask,
        IReadOnlyCollection<string> allowed,
        Func<string, string>? explain = null)
        where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(nameOf);
        validator.Required(field, resource);
        var input = resource ?? new T();
        return (input, validator.Id(field + ".name", nameOf(input), template), validator.Mask(mask, allowed, explain));
    }

    /// <summary>A client-chosen id (AIP-133): 3..63 characters of [a-z0-9-], starting with a letter.</summary>
    public static string? NewId(this RequestValidator validator, string field, string id)
    {
        if (id.Length == 0)
        {
            return null;
        }

        if (!IdPattern().IsMatch(id))
        {
            validator.Add(field, "must be 3..63 characters of a-z, 0-9 and '-', starting with a letter");
        }

        return id;
    }

    /// <summary>An organisation code of the reference data ("national", "province-2025-52", "ministry-btttt").</summary>
    public static string OrganisationCode(this RequestValidator validator, string field, string code, bool required = true)
    {
        if (code.Length == 0)
        {
            if (required)
            {
                validator.Add(field, "is required (an organisation code such as province-2025-52 or ministry-bkhcn)");
            }
        }
        else if (!Organisations.IsKnown(code))
        {
            validator.Add(field, $"'{code}' is not a known organisation code");
        }

        return code;
    }

    /// <summary>A civil date that may be known only to the year or month; null when unset or invalid.</summary>
    public static CivilDate? CivilDate(this RequestValidator validator, string field, T.CivilDate? date)
    {
        if (date is null)
        {
            return null;
        }

        var mapped = ChangeMapper.ToDomain(date);
        if (mapped is null)
        {
            validator.Add(field, "must be a valid date of its precision (YEAR: month and day 0; MONTH: day 0; DAY: a calendar date), years 1900..2200");
        }

        return mapped;
    }

    /// <summary>Every value of a repeated enum must be a defined, non-UNSPECIFIED value; returns them as the domain enum.</summary>
    public static List<TDomain> Enums<TProto, TDomain>(this RequestValidator validator, string field, IEnumerable<TProto> values)
        where TProto : struct, Enum
        where TDomain : struct, Enum =>
        [.. values.Select((value, i) => validator.Enum($"{field}[{i}]", value))
            .Where(value => Enum.IsDefined(value) && Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) != 0)
            .Select(value => (TDomain)Enum.ToObject(typeof(TDomain), Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)))];

    /// <summary>Texts of a repeated field, each checked and NFC-normalised.</summary>
    public static List<string> Texts(this RequestValidator validator, string field, IEnumerable<string> values, int maxLength) =>
        [.. values.Select((value, i) => validator.Text($"{field}[{i}]", value, maxLength)).Where(text => text.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>The folded words of a search ("Đà Nẵng" → ["da", "nang"]): each must occur in the folded text.</summary>
    public static string[] SearchWords(string query) =>
        VietnameseText.Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The paths of a field mask: required, each one of <paramref name="allowed"/>; the others are named in the violation.</summary>
    public static HashSet<string> Mask(
        this RequestValidator validator, Google.Protobuf.WellKnownTypes.FieldMask? mask, IReadOnlyCollection<string> allowed, Func<string, string>? explain = null)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (mask is null || mask.Paths.Count == 0)
        {
            validator.Add("update_mask", $"is required: name the fields to change ({string.Join(", ", allowed)})");
            return paths;
        }

        for (var i = 0; i < mask.Paths.Count; i++)
        {
            var path = mask.Paths[i];
            if (allowed.Contains(path))
            {
                paths.Add(path);
            }
            else
            {
                validator.Add($"update_mask.paths[{i}]", explain?.Invoke(path) ?? $"'{path}' cannot be changed here; allowed: {string.Join(", ", allowed)}");
            }
        }

        return paths;
    }

    /// <summary>
    /// One page of items in the order of their keys (compared part by part, ordinally), after the key the page token
    /// carries. For the small lists whose order depends on the as-of date, known only here (committees by their name
    /// on the date, memberships, working groups, a post's holders): they are filtered in SQL and sorted in memory.
    /// People and posts, the lists that grow to thousands, are paged in SQL (<see cref="KeysetPage"/>).
    /// </summary>
    public static (List<TItem> Items, string NextPageToken) Page<TItem>(
        IEnumerable<TItem> items, Func<TItem, string[]> key, IMessage request, string pageToken, int pageSize)
    {
        var after = PageToken.Parse(request, pageToken);
        var ordered = items.Select(item => (Item: item, Key: key(item))).OrderBy(entry => entry.Key, KeyOrder.Instance).AsEnumerable();
        if (after is not null)
        {
            ordered = ordered.Where(entry => KeyOrder.Instance.Compare(entry.Key, after) > 0);
        }

        var page = ordered.Take(pageSize + 1).ToList();
        var next = page.Count > pageSize ? PageToken.Create(request, page[pageSize - 1].Key) : "";
        return ([.. page.Take(pageSize).Select(entry => entry.Item)], next);
    }

    /// <summary>The page of a list read in the database by its keys (<c>NamePaging</c>), after those the page token carries.</summary>
    public static KeysetPage KeysetPage(IMessage request, string pageToken, int pageSize) => new(PageToken.Parse(request, pageToken), pageSize);

    /// <summary>The token of the page after a keyset page whose last row has these keys; empty after the last page.</summary>
    public static string NextPageToken(IMessage request, IReadOnlyList<string>? nextKey) =>
        nextKey is null ? "" : PageToken.Create(request, nextKey);

    [GeneratedRegex("^[a-z][a-z0-9-]{2,62}$")]
    private static partial Regex IdPattern();

    private sealed class KeyOrder : IComparer<IReadOnlyList<string>>
    {
        public static readonly KeyOrder Instance = new();

        public int Compare(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var order = string.CompareOrdinal(x[i], y[i]);
                if (order != 0)
                {
                    return order;
                }
            }

            return x.Count.CompareTo(y.Count);
        }
    }
}
