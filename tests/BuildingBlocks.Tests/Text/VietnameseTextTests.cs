using System.Globalization;
using System.Text;
using Egov.Steering.Text;

namespace Egov.Steering.BuildingBlocks.Tests.Text;

public sealed class VietnameseTextTests
{
    [Theory]
    [InlineData("Đà Nẵng", "da nang")]
    [InlineData("Nguyễn Xuân Phúc", "nguyen xuan phuc")]
    [InlineData("ĐẮK LẮK", "dak lak")]
    [InlineData("  Thừa   Thiên\tHuế ", "thua thien hue")]
    [InlineData("Ủy ban Quốc gia về chuyển đổi số", "uy ban quoc gia ve chuyen doi so")]
    public void Fold_ignores_case_diacritics_and_spacing(string text, string folded) =>
        Assert.Equal(folded, VietnameseText.Fold(text));

    [Theory]
    [InlineData("\u00D0ắk Lắk", "dak lak")]
    [InlineData("\u00F0à Nẵng", "da nang")]
    [InlineData("\u0189à Nẵng", "da nang")]
    [InlineData("\u0256à Nẵng", "da nang")]
    [InlineData("338/Q\u00D0-UBND", "338/qd-ubnd")]
    public void Fold_takes_the_letters_that_look_like_D_with_stroke_for_it(string text, string folded) =>
        Assert.Equal(folded, VietnameseText.Fold(text));

    [Fact]
    public void Fold_is_the_same_for_composed_and_decomposed_input() =>
        Assert.Equal(
            VietnameseText.Fold("Nguyễn Xuân Phúc".Normalize(NormalizationForm.FormC)),
            VietnameseText.Fold("Nguyễn Xuân Phúc".Normalize(NormalizationForm.FormD)));

    [Fact]
    public void Normalize_composes_to_nfc()
    {
        var decomposed = "Phúc".Normalize(NormalizationForm.FormD);

        Assert.Equal(5, decomposed.Length);
        Assert.Equal("Ph\u00fac", VietnameseText.Normalize(decomposed));
    }

    [Fact]
    public void Sort_keys_order_texts_as_vietnamese_does()
    {
        string[] vietnameseOrder = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "g", "h", "i", "o", "ô", "ơ", "u", "ư", "y"];

        var byKey = vietnameseOrder.Reverse().OrderBy(VietnameseText.SortKey, StringComparer.Ordinal);

        Assert.Equal(vietnameseOrder, byKey);
    }

    [Fact]
    public void Sort_keys_order_names_like_the_vi_VN_collation()
    {
        string[] names = ["Đỗ Văn Bình", "Dương Thị Lan", "Âu Cơ", "Ăn Quả", "An Giang", "Bạc Liêu", "Điện Biên", "Ê Đê", "Ơn Nghĩa", "Ông Ích Khiêm"];
        var collation = CultureInfo.GetCultureInfo("vi-VN").CompareInfo;

        var byKey = names.OrderBy(VietnameseText.SortKey, StringComparer.Ordinal).ToArray();
        var byCollation = names.Order(Comparer<string>.Create((x, y) => collation.Compare(x, y))).ToArray();

        Assert.Equal(byCollation, byKey);
        Assert.Equal(["An Giang", "Ăn Quả", "Âu Cơ", "Bạc Liêu", "Dương Thị Lan", "Điện Biên", "Đỗ Văn Bình", "Ê Đê", "Ông Ích Khiêm", "Ơn Nghĩa"], byKey);
    }

    [Fact]
    public void Sort_keys_compare_numbers_inside_names_by_value()
    {
        string[] seats = ["Ủy viên thứ 2", "Ủy viên thứ 4", "Ủy viên thứ 9", "Ủy viên thứ 10", "Ủy viên thứ 15", "Ủy viên thứ 100"];

        var byKey = seats.Reverse().OrderBy(VietnameseText.SortKey, StringComparer.Ordinal);
        var inMemory = seats.Reverse().Order(VietnameseText.Order);

        Assert.Equal(seats, byKey);
        Assert.Equal(seats, inMemory);
    }

    [Fact]
    public void Numbers_are_compared_by_value_but_letters_keep_the_vietnamese_order()
    {
        string[] names = ["D 10", "Đ 2", "Đ 10", "o 3", "ơ 1", "ơ 20", "p 0"];

        Assert.Equal(names, names.Reverse().OrderBy(VietnameseText.SortKey, StringComparer.Ordinal));
        Assert.Equal(names, names.Reverse().Order(VietnameseText.Order));
    }

    [Fact]
    public void A_long_names_sort_key_fits_its_column_and_still_orders_the_name_by_its_letters()
    {
        // Capitals with marks give the longest keys of Vietnamese text: over 1,600 digits for 300 letters uncut.
        var tail = string.Concat(Enumerable.Repeat(" BAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ TỈNH QUẢNG NGÃI", 8))[..299];
        string[] names = ["A" + tail, "Ă" + tail, "B" + tail, "Đ" + tail];

        Assert.All(names, name => Assert.InRange(VietnameseText.SortKey(name).Length, 1, VietnameseText.MaxSortKeyLength));
        Assert.Equal(names, names.Reverse().OrderBy(VietnameseText.SortKey, StringComparer.Ordinal));
    }

    [Fact]
    public void Sort_keys_are_lower_case_hex_so_any_bytewise_collation_orders_them() =>
        Assert.Matches("^[0-9a-f]+$", VietnameseText.SortKey("Gia Lai"));

    [Fact]
    public void The_process_has_icu()
    {
        // Fails when the runtime is globalization-invariant: Vietnamese order would silently become code-point order.
        VietnameseText.EnsureCollationAvailable();
        Assert.False(CultureInfo.GetCultureInfo("vi-VN").CompareInfo.Compare("ă", "b") > 0);
    }
}
