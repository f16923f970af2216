using System.Text;
using Egov.Steering.ReferenceData;

namespace Egov.Steering.BuildingBlocks.Tests.ReferenceData;

public class ReferenceDataTests
{
    [Fact]
    public void There_are_63_provincial_units_in_2020_and_34_from_2025()
    {
        Assert.Equal(63, Provinces.Era2020.Count);
        Assert.Equal(34, Provinces.Era2025.Count);
        Assert.Equal(63, Provinces.Era2020.Select(province => province.Code).Distinct().Count());
        Assert.Equal(34, Provinces.Era2025.Select(province => province.Code).Distinct().Count());
    }

    [Fact]
    public void The_new_gia_lai_52_was_merged_from_binh_dinh_52_and_the_old_gia_lai_64()
    {
        var newGiaLai = Provinces.Find(ProvinceEra.Era2025, "52")!;

        Assert.Equal("Gia Lai", newGiaLai.Name);
        Assert.Equal(["52", "64"], newGiaLai.MergedFromCodes);
        Assert.Equal(["Bình Định", "Gia Lai"], Provinces.PredecessorsOf(newGiaLai).Select(province => province.Name));
        Assert.Same(newGiaLai, Provinces.SuccessorOf(Provinces.Find(ProvinceEra.Era2020, "64")!));
        Assert.Equal("province-2025-52", newGiaLai.OrganisationCode);
    }

    [Fact]
    public void Every_2020_unit_went_into_exactly_one_2025_unit()
    {
        var merged = Provinces.Era2025.SelectMany(province => province.MergedFromCodes).ToList();

        Assert.Equal(Provinces.Era2020.Select(province => province.Code).Order(), merged.Order());
    }

    [Fact]
    public void Names_are_nfc_with_ascii_forms_and_types()
    {
        var hanoi = Provinces.Find(ProvinceEra.Era2020, "01")!;

        Assert.Equal(("Hà Nội", "Thành phố Hà Nội", "Ha Noi", ProvinceType.CentralCity), (hanoi.Name, hanoi.FullName, hanoi.AsciiName, hanoi.Type));
        Assert.All(Provinces.Era2020.Concat(Provinces.Era2025), province =>
        {
            Assert.True(province.Name.IsNormalized(NormalizationForm.FormC));
            Assert.True(province.AsciiName.All(char.IsAscii));
        });
    }

    [Fact]
    public void Every_ministry_has_a_unique_ministry_code()
    {
        Assert.Equal(24, Ministries.All.Count);
        Assert.All(Ministries.All, ministry => Assert.Matches("^ministry-[a-z]+$", ministry.Code));
        Assert.Equal(Ministries.All.Count, Ministries.All.Select(ministry => ministry.Code).Distinct().Count());
    }

    [Fact]
    public void The_ministry_of_information_and_communications_was_merged_in_2025()
    {
        var mic = Ministries.Find("ministry-btttt")!;

        Assert.Equal("Bộ Thông tin và Truyền thông", mic.Name);
        Assert.False(mic.InForceFromMarch2025);
        Assert.True(Ministries.Find("ministry-bkhcn")!.InForceFromMarch2025);
        Assert.True(Ministries.Find("ministry-bnnmt")!.InForceFromMarch2025);
    }

    [Theory]
    [InlineData("national", OrganisationKind.National)]
    [InlineData("province-2020-64", OrganisationKind.Province)]
    [InlineData("province-2025-52", OrganisationKind.Province)]
    [InlineData("ministry-btttt", OrganisationKind.Ministry)]
    public void Known_organisation_codes_are_described(string code, OrganisationKind kind)
    {
        Assert.True(Organisations.IsKnown(code));
        Assert.Equal(kind, Organisations.Describe(code)!.Kind);
    }

    [Theory]
    [InlineData("province-2025-64")] // Gia Lai's old code names no unit from 2025 on
    [InlineData("province-64")]
    [InlineData("ministry-unknown")]
    [InlineData("National")]
    [InlineData("")]
    public void Unknown_organisation_codes_are_refused(string code)
    {
        Assert.False(Organisations.IsKnown(code));
        Assert.Null(Organisations.Describe(code));
    }

    [Fact]
    public void Every_organisation_is_national_a_province_of_either_era_or_a_ministry()
    {
        Assert.Equal(1 + 63 + 34 + 24, Organisations.All.Count());
    }

    [Fact]
    public void The_source_article_and_decisions_are_embedded()
    {
        Assert.Contains("Gia Lai", ReferenceFiles.ReadText(ReferenceFiles.SourceArticle), StringComparison.Ordinal);
        Assert.Contains("701/QĐ-TTg", ReferenceFiles.ReadText(ReferenceFiles.Decisions), StringComparison.Ordinal);
    }
}
