// FrameworkEngine: routing, dispatch, field validation and help, driven with
// EngineRequests as the Router sends them.
#include "core/framework/framework_engine.h"

#include <gtest/gtest.h>

#include "core/framework/forwarding_engine.h"
#include "core/framework/response_util.h"

namespace coffer::core::framework {
namespace {

using nlohmann::json;

// Echo returns the handler's name and the fields it saw.
Handler Echo(const std::string& handler) {
  return [handler](const EngineRequest&, const FieldData& fields) -> Result<Response> {
    return Response::Data({{"handler", handler}, {"raw", fields.Raw()}});
  };
}

std::unique_ptr<FrameworkEngine> MakeEngine() {
  std::vector<PathSpec> paths;

  PathSpec roles;
  roles.pattern = "roles/" + GenericName("name");
  roles.fields = {
      {"name", {FieldType::kString, {}, false, "The role name."}},
      {"ttl", {FieldType::kDuration, "1h", false, "Lease TTL."}},
      {"policies", {FieldType::kCommaStringSlice, {}, false, "Policies."}},
  };
  roles.operations = {
      {Operation::kRead,
       [](const EngineRequest&, const FieldData& f) -> Result<Response> {
         return Response::Data(
             {{"name", f.GetString("name")}, {"ttl", f.GetDuration("ttl")},
              {"policies", f.GetStrings("policies")}});
       }},
      {Operation::kUpdate, Echo("update")},
      {Operation::kDelete, Echo("delete")},
  };
  roles.exists = [](const EngineRequest&, const FieldData& f) -> Result<bool> {
    return f.GetString("name") == "existing";
  };
  roles.help_synopsis = "Manage roles.";
  roles.help_description = "Roles say who gets what.";
  paths.push_back(std::move(roles));

  PathSpec create_only;
  create_only.pattern = "create-only";
  create_only.operations = {{Operation::kCreate, Echo("create")}};
  paths.push_back(std::move(create_only));

  PathSpec required;
  required.pattern = "login";
  required.fields = {{"role_id", {FieldType::kString, {}, true, "Role ID."}}};
  required.operations = {{Operation::kUpdate, Echo("login")}};
  paths.push_back(std::move(required));

  PathSpec raw;
  raw.pattern = "raw/" + MatchAll("path");
  raw.fields = {{"path", {FieldType::kString, {}, false, ""}}};
  raw.operations = {{Operation::kUpdate, Echo("raw")}};
  raw.takes_arbitrary_input = true;
  paths.push_back(std::move(raw));

  PathSpec list;
  list.pattern = "items/?";
  list.operations = {{Operation::kList, [](const EngineRequest&, const FieldData&) {
                        return ListResponse({"a", "b/"});
                      }}};
  paths.push_back(std::move(list));

  Result<std::unique_ptr<FrameworkEngine>> engine =
      FrameworkEngine::Create("test", std::move(paths), "A test engine.");
  EXPECT_TRUE(engine.ok()) << engine.status().ToString();
  return std::move(engine).value();
}

storage::Backend& SharedStorage() {
  static std::unique_ptr<storage::Backend> backend =
      std::move(storage::OpenBackend("inmem", {})).value();
  return *backend;
}

EngineRequest Request(Operation op, std::string path, json data = json::object()) {
  EngineRequest request;
  request.storage = &SharedStorage();
  request.operation = op;
  request.path = std::move(path);
  request.data = std::move(data);
  return request;
}

TEST(FrameworkEngineTest, CapturesAndTypedFieldsReachTheHandler) {
  auto engine = MakeEngine();
  Result<Response> r =
      engine->Handle(Request(Operation::kRead, "roles/web", {{"ttl", "90m"}, {"policies", "a,b"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data, json({{"name", "web"}, {"ttl", 5400}, {"policies", {"a", "b"}}}));
}

TEST(FrameworkEngineTest, DefaultsApplyThroughHandle) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kRead, "roles/web"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data["ttl"], 3600);
}

TEST(FrameworkEngineTest, BadFieldValueIs400NamingTheField) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kUpdate, "roles/web", {{"ttl", "abc"}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("for field \"ttl\""), std::string::npos);
}

TEST(FrameworkEngineTest, MissingRequiredFieldIs400) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kUpdate, "login"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "missing required field \"role_id\"");
  EXPECT_TRUE(engine->Handle(Request(Operation::kUpdate, "login", {{"role_id", "x"}})).ok());
}

TEST(FrameworkEngineTest, UnmatchedPathIsNotFoundUnsupportedPath) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kRead, "nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_EQ(r.status().message(), "unsupported path");
  // A name the capture refuses does not match either.
  EXPECT_EQ(engine->Handle(Request(Operation::kRead, "roles/-bad")).status().code(),
            Code::kNotFound);
}

TEST(FrameworkEngineTest, OperationThePathLacksIs405) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kList, "roles/web"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnsupported);
  EXPECT_EQ(engine->Handle(Request(Operation::kPatch, "roles/web")).status().code(),
            Code::kUnsupported);
}

TEST(FrameworkEngineTest, CreateFallsBackToUpdate) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kCreate, "roles/web"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data["handler"], "update");
}

TEST(FrameworkEngineTest, UpdateFallsBackToCreate) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kUpdate, "create-only"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data["handler"], "create");
}

TEST(FrameworkEngineTest, UnknownBodyKeysDrawAWarning) {
  auto engine = MakeEngine();
  Result<Response> r =
      engine->Handle(Request(Operation::kUpdate, "roles/web", {{"ttl", 5}, {"bogus", 1}}));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_EQ(r->warnings[0], "Endpoint ignored these unrecognized parameters: [bogus]");
}

TEST(FrameworkEngineTest, ReadQueryParametersDrawNoWarning) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kRead, "roles/web", {{"bogus", 1}}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->warnings.empty());
}

TEST(FrameworkEngineTest, HandlerExceptionBecomesInternal) {
  PathSpec throws;
  throws.pattern = "boom";
  throws.operations = {{Operation::kRead, [](const EngineRequest&, const FieldData&) -> Result<Response> {
                          return Response::Data(nlohmann::json(5).at("x"));  // throws type_error
                        }}};
  std::vector<PathSpec> paths;
  paths.push_back(std::move(throws));
  auto engine = FrameworkEngine::Create("t", std::move(paths), "");
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ((*engine)->Handle(Request(Operation::kRead, "boom")).status().code(), Code::kInternal);
}

TEST(FrameworkEngineTest, ArbitraryInputPathDrawsNoWarning) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kUpdate, "raw/x", {{"anything", 1}}));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_EQ(r->data["raw"]["anything"], 1);
}

TEST(FrameworkEngineTest, HelpOnAPathDescribesItsFields) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kHelp, "roles/web"));
  ASSERT_TRUE(r.ok());
  std::string help = r->data["help"].get<std::string>();
  EXPECT_NE(help.find("Manage roles."), std::string::npos);
  EXPECT_NE(help.find("ttl (duration (sec))"), std::string::npos);
  EXPECT_NE(help.find("Roles say who gets what."), std::string::npos);
}

TEST(FrameworkEngineTest, HelpAtTheRootDescribesTheEngine) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kHelp, ""));
  ASSERT_TRUE(r.ok());
  std::string help = r->data["help"].get<std::string>();
  EXPECT_NE(help.find("A test engine."), std::string::npos);
  EXPECT_NE(help.find("^create-only$"), std::string::npos);
}

TEST(FrameworkEngineTest, HelpOnAnUnknownPathIsNotFound) {
  auto engine = MakeEngine();
  EXPECT_EQ(engine->Handle(Request(Operation::kHelp, "nope")).status().code(), Code::kNotFound);
}

TEST(FrameworkEngineTest, ListResponseShapeAndEmptyListIs404) {
  auto engine = MakeEngine();
  Result<Response> r = engine->Handle(Request(Operation::kList, "items/"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data, json({{"keys", {"a", "b/"}}}));
  Result<Response> empty = ListResponse({});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), Code::kNotFound);
}

TEST(FrameworkEngineTest, ExistsUsesThePathCheckOrAnswersTrue) {
  auto engine = MakeEngine();
  EXPECT_TRUE(*engine->Exists(Request(Operation::kCreate, "roles/existing")));
  EXPECT_FALSE(*engine->Exists(Request(Operation::kCreate, "roles/new")));
  EXPECT_TRUE(*engine->Exists(Request(Operation::kCreate, "create-only")));
  EXPECT_TRUE(*engine->Exists(Request(Operation::kCreate, "nope")));
}

TEST(FrameworkEngineTest, ExistsAndPrepareAnswersAsExists) {
  auto engine = MakeEngine();
  for (const char* path : {"roles/existing", "roles/new", "create-only", "nope"}) {
    EngineRequest request = Request(Operation::kUpdate, path);
    EXPECT_EQ(*engine->ExistsAndPrepare(&request), *engine->Exists(request)) << path;
  }
}

// An engine whose existence check and update handler record the address of
// the FieldData they were given.
struct FieldsSeen {
  const FieldData* by_exists = nullptr;
  const FieldData* by_handler = nullptr;
};

std::unique_ptr<FrameworkEngine> RecordingEngine(FieldsSeen* seen, const std::string& tag) {
  PathSpec item;
  item.pattern = "items/" + GenericName("name");
  item.fields = {{"name", {FieldType::kString, {}, false, ""}},
                 {"ttl", {FieldType::kDuration, {}, false, ""}}};
  item.exists = [seen](const EngineRequest&, const FieldData& f) -> Result<bool> {
    seen->by_exists = &f;
    return false;
  };
  item.operations = {{Operation::kUpdate,
                      [seen, tag](const EngineRequest&, const FieldData& f) -> Result<Response> {
                        seen->by_handler = &f;
                        return Response::Data({{"engine", tag},
                                               {"name", f.GetString("name")},
                                               {"ttl", f.GetDuration("ttl")}});
                      }}};
  std::vector<PathSpec> paths;
  paths.push_back(std::move(item));
  return std::move(FrameworkEngine::Create(tag, std::move(paths), "")).value();
}

TEST(FrameworkEngineTest, HandleUsesTheFieldsExistsAndPrepareParsed) {
  FieldsSeen seen;
  auto engine = RecordingEngine(&seen, "a");
  EngineRequest request = Request(Operation::kUpdate, "items/x", {{"ttl", "2m"}});
  ASSERT_FALSE(*engine->ExistsAndPrepare(&request));
  request.operation = Operation::kCreate;  // what the core does for a new item
  Result<Response> r = engine->Handle(request);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data, json({{"engine", "a"}, {"name", "x"}, {"ttl", 120}}));
  ASSERT_NE(seen.by_exists, nullptr);
  // Routed and parsed once: the request still holds what Exists was given,
  // so a second parse could not be at the same address.
  ASSERT_NE(request.prepared, nullptr);
  EXPECT_EQ(seen.by_handler, seen.by_exists);

  // Plain Exists leaves nothing behind; Handle then parses on its own.
  EngineRequest plain = Request(Operation::kUpdate, "items/x", {{"ttl", "2m"}});
  ASSERT_FALSE(*engine->Exists(plain));
  EXPECT_EQ(plain.prepared, nullptr);
  ASSERT_TRUE(engine->Handle(plain).ok());
}

TEST(FrameworkEngineTest, APreparedRequestOfAnotherEngineOrPathIsNotUsed) {
  FieldsSeen seen_a;
  FieldsSeen seen_b;
  auto a = RecordingEngine(&seen_a, "a");
  auto b = RecordingEngine(&seen_b, "b");
  EngineRequest request = Request(Operation::kUpdate, "items/x", {{"ttl", "2m"}});
  ASSERT_FALSE(*a->ExistsAndPrepare(&request));

  Result<Response> other = b->Handle(request);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->data["engine"], "b");
  EXPECT_NE(seen_b.by_handler, seen_a.by_exists);

  request.path = "items/y";
  Result<Response> moved = a->Handle(request);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->data["name"], "y");
  EXPECT_NE(seen_a.by_handler, seen_a.by_exists);
}

// An auth method's engine around its paths: what the paths prepared
// reaches them through the wrapper.
class Wrapped : public ForwardingEngine {
 public:
  explicit Wrapped(std::unique_ptr<FrameworkEngine> paths)
      : ForwardingEngine(nullptr, std::move(paths)) {}
};

TEST(ForwardingEngineTest, ForwardsRequestsAndWhatExistsPrepared) {
  FieldsSeen seen;
  Wrapped engine(RecordingEngine(&seen, "inner"));
  EXPECT_EQ(engine.Type(), "inner");
  EngineRequest request = Request(Operation::kUpdate, "items/x", {{"ttl", "1m"}});
  ASSERT_FALSE(*engine.ExistsAndPrepare(&request));
  ASSERT_NE(request.prepared, nullptr);
  Result<Response> r = engine.Handle(request);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data, json({{"engine", "inner"}, {"name", "x"}, {"ttl", 60}}));
  EXPECT_EQ(seen.by_handler, seen.by_exists);
  EXPECT_FALSE(*engine.Exists(Request(Operation::kUpdate, "items/y")));
  EXPECT_FALSE(engine.IsLoginPath("items/x"));
}

TEST(FrameworkEngineTest, BadInputFoundByExistsAndPrepareIs400FromHandle) {
  auto engine = MakeEngine();
  EngineRequest request = Request(Operation::kUpdate, "roles/existing", {{"ttl", "soon"}});
  EXPECT_TRUE(*engine->ExistsAndPrepare(&request));  // the ACL check runs first
  Result<Response> r = engine->Handle(request);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("ttl"), std::string::npos) << r.status().ToString();
}

TEST(FrameworkEngineTest, OverlongPathIs400) {
  auto engine = MakeEngine();
  std::string path = "roles/" + std::string(kMaxRequestPathLength, 'a');
  EXPECT_EQ(engine->Handle(Request(Operation::kRead, path)).status().code(),
            Code::kInvalidArgument);
}

TEST(FrameworkEngineTest, RequestWithoutStorageIsInternal) {
  auto engine = MakeEngine();
  EngineRequest request = Request(Operation::kRead, "roles/web");
  request.storage = nullptr;
  EXPECT_EQ(engine->Handle(request).status().code(), Code::kInternal);
}

TEST(FrameworkEngineTest, BadPatternFailsCreate) {
  PathSpec bad;
  bad.pattern = "x/(?P<name";
  std::vector<PathSpec> paths;
  paths.push_back(std::move(bad));
  EXPECT_FALSE(FrameworkEngine::Create("bad", std::move(paths), "").ok());
}

}  // namespace
}  // namespace coffer::core::framework
