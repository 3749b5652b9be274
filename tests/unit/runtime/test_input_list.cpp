#include <gtest/gtest.h>

#include "runtime/input_list.h"
#include "test_util.h"

namespace oqnn::rt {
namespace {

using test::contains;

std::vector<TensorInfo> two_inputs() {
  return {TensorInfo{"input:0", ir::DataType::kFloat32, {1, 4}, {}, ""},
          TensorInfo{"mask", ir::DataType::kFloat32, {1, 4}, {}, ""}};
}

TEST(InputList, PositionalLinesSkipEmptyAndHeader) {
  auto l = parse_input_list("#out1 out2\n%meta\n\na.raw b.raw\n  \n c.raw\td.raw \r\n", "list.txt");
  ASSERT_TRUE(l.has_value()) << l.error().message;
  ASSERT_EQ(l->lines.size(), 2u);
  EXPECT_EQ(l->lines[0].line_number, 4u);
  ASSERT_EQ(l->lines[0].entries.size(), 2u);
  EXPECT_EQ(l->lines[0].entries[0].path, "a.raw");
  EXPECT_TRUE(l->lines[0].entries[0].name.empty());
  EXPECT_EQ(l->lines[1].entries[1].path, "d.raw");  // tab separated, CRLF stripped
}

TEST(InputList, HashOnlySkippedOnTheFirstLine) {
  auto l = parse_input_list("a.raw\n#b.raw\n", "list.txt");
  ASSERT_TRUE(l.has_value());
  ASSERT_EQ(l->lines.size(), 2u);
  EXPECT_EQ(l->lines[1].entries[0].path, "#b.raw");
  // '%' is only special right after the '#' line.
  auto m = parse_input_list("a.raw\n%c.raw\n", "list.txt");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->lines.size(), 2u);
}

TEST(InputList, NamedEntriesMatchOriginalOrSanitizedNames) {
  auto l = parse_input_list("mask:=m.raw input_0:=x.raw\n", "list.txt");
  ASSERT_TRUE(l.has_value()) << l.error().message;
  auto paths = assign_inputs(*l, l->lines[0], two_inputs());
  ASSERT_TRUE(paths.has_value()) << paths.error().message;
  EXPECT_EQ((*paths)[0], "x.raw");
  EXPECT_EQ((*paths)[1], "m.raw");
}

TEST(InputList, PathsMayContainColonsAndSlashes) {
  auto l = parse_input_list("input:0:=/data/x:1.raw mask:=rel/m.raw\n", "list.txt");
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->lines[0].entries[0].name, "input:0");
  EXPECT_EQ(l->lines[0].entries[0].path, "/data/x:1.raw");
  EXPECT_EQ(l->lines[0].entries[1].path, "rel/m.raw");  // relative to the current folder
}

TEST(InputList, ErrorsNameFileLineAndTensor) {
  auto l = parse_input_list("x.raw\n", "list.txt");
  ASSERT_TRUE(l.has_value());
  auto p = assign_inputs(*l, l->lines[0], two_inputs());
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(p.error().message, "list.txt:1")) << p.error().message;
  EXPECT_TRUE(contains(p.error().message, "input:0, mask")) << p.error().message;

  auto named = parse_input_list("\nnope:=x.raw\n", "list.txt");
  ASSERT_TRUE(named.has_value());
  p = assign_inputs(*named, named->lines[0], two_inputs());
  ASSERT_FALSE(p.has_value());
  EXPECT_TRUE(contains(p.error().message, "list.txt:2: 'nope' is not a graph input"));

  auto missing = parse_input_list("mask:=m.raw\n", "list.txt");
  p = assign_inputs(*missing, missing->lines[0], two_inputs());
  ASSERT_FALSE(p.has_value());
  EXPECT_TRUE(contains(p.error().message, "no file for graph input 'input:0'"));

  auto twice = parse_input_list("mask:=m.raw mask:=n.raw\n", "list.txt");
  p = assign_inputs(*twice, twice->lines[0], two_inputs());
  ASSERT_FALSE(p.has_value());
  EXPECT_TRUE(contains(p.error().message, "given twice"));
}

TEST(InputList, MalformedAndMixedEntriesAreErrors) {
  auto l = parse_input_list(":=x.raw\n", "list.txt");
  ASSERT_FALSE(l.has_value());
  EXPECT_EQ(l.error().code, ErrorCode::kBadInput);
  l = parse_input_list("a:=x.raw y.raw\n", "list.txt");
  ASSERT_FALSE(l.has_value());
  EXPECT_TRUE(contains(l.error().message, "list.txt:1"));
}

TEST(InputList, EmptyFileIsAnError) {
  test::TempDir dir;
  test::write_text(dir.file("list.txt"), "\n\n#only a header\n");
  auto l = read_input_list(dir.file("list.txt"));
  ASSERT_FALSE(l.has_value());
  EXPECT_TRUE(contains(l.error().message, "no inputs"));
  auto missing = read_input_list(dir.file("absent.txt"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_TRUE(contains(missing.error().message, "absent.txt"));
}

}  // namespace
}  // namespace oqnn::rt
