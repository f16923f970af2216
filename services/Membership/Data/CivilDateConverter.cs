using Egov.Steering.Membership.Domain;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Egov.Steering.Membership.Data;

/// <summary>
/// Stores a civil date as "2019", "2019-06" or "2019-06-20": readable, precise about precision, and compared in SQL
/// as text it follows the first-day rule (see <see cref="CivilDate.ToString"/>).
/// </summary>
internal sealed class CivilDateConverter() : ValueConverter<CivilDate, string>(date => date.ToString(), text => CivilDate.Parse(text))
{
    public const int MaxLength = 10;
}
