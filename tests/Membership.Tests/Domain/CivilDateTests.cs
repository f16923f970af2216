using CsCheck;
using Egov.Steering.Membership.Domain;

namespace Egov.Steering.Membership.Tests.Domain;

public class CivilDateTests
{
    private static readonly Gen<CivilDate> AnyDate =
        Gen.Select(Gen.Int[1900, 2200], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[1, 3])
            .Select((year, month, day, precision) => precision switch
            {
                1 => CivilDate.OfYear(year),
                2 => CivilDate.OfMonth(year, month),
                _ => CivilDate.Of(year, month, day),
            });

    [Theory]
    [InlineData("2019")]
    [InlineData("2019-06")]
    [InlineData("2019-06-20")]
    public void The_stored_form_round_trips(string text) => Assert.Equal(text, CivilDate.Parse(text).ToString());

    [Fact]
    public void An_imprecise_date_stands_for_its_first_day_and_knows_its_last()
    {
        Assert.Equal((new DateOnly(2020, 1, 1), new DateOnly(2020, 12, 31)), (CivilDate.OfYear(2020).FirstDay, CivilDate.OfYear(2020).LastDay));
        Assert.Equal((new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 29)), (CivilDate.OfMonth(2024, 2).FirstDay, CivilDate.OfMonth(2024, 2).LastDay));
    }

    [Fact]
    public void Invalid_parts_are_refused()
    {
        Assert.False(CivilDate.IsValid(2019, 2, 30, DatePrecision.Day));
        Assert.False(CivilDate.IsValid(2019, 6, 1, DatePrecision.Month));
        Assert.False(CivilDate.IsValid(1899, 0, 0, DatePrecision.Year));
    }

    [Fact]
    public void Stored_forms_compared_as_text_follow_the_first_day_rule_against_full_dates()
    {
        // What SQL does with start_date <= @day AND @day < end_date.
        Gen.Select(AnyDate, AnyDate.Where(d => d.Precision == DatePrecision.Day)).Sample((stored, day) =>
            (string.CompareOrdinal(stored.ToString(), day.ToString()) <= 0) == (stored.FirstDay <= day.FirstDay));
    }
}
