using Egov.Steering.ServiceDefaults.Errors;
using Egov.Steering.ServiceDefaults.Validation;
using Egov.Steering.Testing.V1;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

public sealed class RequestValidatorTests
{
    private static readonly ResourceNameTemplate Membership = new("committees/{committee}/memberships/{membership}");

    [Theory]
    [InlineData("", "is required and must not be blank")]
    [InlineData(" \t ", "is required and must not be blank")]
    [InlineData("Gia\u0000Lai", "must not contain control characters")]
    [InlineData("Gia\u001b[31m", "must not contain control characters")]
    [InlineData("Gia L\uFFFDi", "contains U+FFFD (the replacement character): the text was not valid UTF-8")]
    [InlineData("Ban chỉ đạo tỉnh Gia Lai", "must be at most 10 characters (has 24)")]
    public void Text_rejects_what_no_clerk_meant(string text, string reason)
    {
        var validator = new RequestValidator();

        validator.Text("display_name", text, maxLength: 10);

        Assert.Equal(new FieldViolation("display_name", reason), Assert.Single(validator.Violations));
    }

    [Fact]
    public void Text_counts_length_after_nfc()
    {
        var validator = new RequestValidator();

        var text = validator.Text("display_name", "Phúc".Normalize(System.Text.NormalizationForm.FormD), maxLength: 4);

        Assert.True(validator.IsValid);
        Assert.Equal("Phúc", text);
    }

    [Fact]
    public void Optional_text_may_be_absent()
    {
        var validator = new RequestValidator();

        Assert.Equal(string.Empty, validator.Text("summary", null, maxLength: 10, required: false));
        Assert.True(validator.IsValid);
    }

    [Theory]
    [InlineData("committees/gia-lai/memberships/m-1", true)]
    [InlineData("committees/gia-lai", false)]
    [InlineData("committees/Gia-Lai/memberships/m-1", false)]
    [InlineData("committees/gia_lai/memberships/m-1", false)]
    [InlineData("committee/gia-lai/memberships/m-1", false)]
    [InlineData("committees//memberships/m-1", false)]
    public void Resource_names_follow_the_pattern(string name, bool valid)
    {
        var validator = new RequestValidator();

        var ids = validator.ResourceName("name", name, Membership);

        Assert.Equal(valid, validator.IsValid);
        Assert.Equal(valid, ids is not null);
    }

    [Fact]
    public void Resource_ids_are_at_most_63_characters()
    {
        Assert.NotNull(Membership.Match($"committees/{new string('a', 63)}/memberships/m"));
        Assert.Null(Membership.Match($"committees/{new string('a', 64)}/memberships/m"));
        Assert.Equal("committees/gia-lai/memberships/m-1", Membership.Format("gia-lai", "m-1"));
    }

    [Theory]
    [InlineData(ThingLevel.Province, true)]
    [InlineData(ThingLevel.Unspecified, false)]
    [InlineData((ThingLevel)42, false)]
    public void Enums_must_be_defined_and_specified(ThingLevel level, bool valid)
    {
        var validator = new RequestValidator();

        validator.Enum("level", level);

        Assert.Equal(valid, validator.IsValid);
    }

    [Theory]
    [InlineData(0, 25)]
    [InlineData(7, 7)]
    [InlineData(100, 100)]
    [InlineData(5000, 100)]
    public void Page_size_defaults_and_is_coerced_to_the_maximum(int requested, int used)
    {
        var validator = new RequestValidator();

        Assert.Equal(used, validator.PageSize("page_size", requested, defaultSize: 25, maxSize: 100));
        Assert.True(validator.IsValid);
    }

    [Fact]
    public void Negative_page_size_is_invalid()
    {
        var validator = new RequestValidator();

        validator.PageSize("page_size", -1, defaultSize: 25, maxSize: 100);

        Assert.Equal("page_size", Assert.Single(validator.Violations).Field);
    }

    [Theory]
    [InlineData(2020, 5, 26, true)]
    [InlineData(2024, 2, 29, true)]
    [InlineData(2025, 2, 29, false)]
    [InlineData(2025, 13, 1, false)]
    [InlineData(2025, 7, 0, false)]
    [InlineData(0, 1, 1, false)]
    public void Dates_must_be_complete_calendar_dates(int year, int month, int day, bool valid)
    {
        var validator = new RequestValidator();

        var date = validator.Date("effective_date", new Google.Type.Date { Year = year, Month = month, Day = day });

        Assert.Equal(valid, validator.IsValid);
        Assert.Equal(valid ? new DateOnly(year, month, day) : null, date);
    }

    [Theory]
    [InlineData(2019, 0, 0, true)]
    [InlineData(2019, 6, 0, true)]
    [InlineData(2019, 6, 20, true)]
    [InlineData(2019, 0, 20, false)]
    [InlineData(2019, 6, 31, false)]
    public void Partial_dates_may_stop_at_the_year_or_month(int year, int month, int day, bool valid)
    {
        var validator = new RequestValidator();

        validator.PartialDate("signed_date", new Google.Type.Date { Year = year, Month = month, Day = day });

        Assert.Equal(valid, validator.IsValid);
    }

    [Fact]
    public void All_violations_are_thrown_together()
    {
        var validator = new RequestValidator();
        validator.Text("display_name", "", maxLength: 10);
        validator.ResourceName("parent", "nope", Membership);
        validator.Required("committee", (object?)null);

        var error = Assert.Throws<RequestValidationException>(validator.ThrowIfInvalid);

        Assert.Equal(["display_name", "parent", "committee"], error.Violations.Select(violation => violation.Field));
    }
}
