#include "physics/physics_conveyor.hpp"

#include <BulletCollision/CollisionDispatch/btGhostObject.h>
#include <btBulletDynamicsCommon.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "plant/belt_part_size.hpp"

static_assert(sizeof(btScalar) == sizeof(double),
              "linetwin uses Bullet's double build only (docs/physics.md)");

namespace linetwin {

namespace {

// Sizes and materials (docs/physics.md, "Physics conveyors").
constexpr double kGravity = 9.81;
constexpr double kFriction = 0.6;          // belt and parts: parts reach belt speed in v / (0.6 g)
constexpr double kLaneGap_m = 10.0;        // between belts' centre lines: no two belts touch
constexpr double kExitEyeBefore_m = 0.01;  // the exit's beam, this far before the stop
constexpr double kSleepSpeed = 0.01;       // m/s and rad/s: below this a part may come to rest
constexpr double kPartMass_kg = 1.0;

// What a body is, in its user index 2; its belt is its user index.
enum Role : int { kSurface, kPart, kStop };

struct Belt {
  ConveyorSpec spec;
  std::uint32_t capacity = 1;
  // The belt it feeds end to end and the one that feeds it (kNoPhysicsBelt: none), its lane, and
  // where its entry lies along the lane: its chain's belts before it, end to end.
  std::uint32_t feeds = kNoPhysicsBelt;
  std::uint32_t fed_by = kNoPhysicsBelt;
  double lane_y = 0.0;
  double entry_x = 0.0;
  // The part's box (spec.part_size_m, or by default one pitch long, so that a queue stands a
  // pitch apart as the timing model's does).
  double part_length = 1.0;
  double part_width = 0.5;
  double part_height = 0.5;
  // The entry has room once the back of the part loaded last is this far in: a pitch from where
  // its front was loaded, and never less than 0, where the next part's front is loaded.
  double entry_line = 0.0;
  double speed = 0.0;  // of the surface now: spec.speed_m_per_s, or 0 while stopped
  std::unique_ptr<btBoxShape> part_shape, surface_shape, stop_shape, exit_shape, entry_shape;
  std::unique_ptr<btRigidBody> surface, stop;
  std::unique_ptr<btGhostObject> exit_eye, entry_eye;
  std::deque<std::unique_ptr<btRigidBody>> parts;  // head first
  bool head_at_exit = false;
  bool entry_clear = true;
  bool head_held = false;  // refused at a junction: held where it stands (head_blocked)
  bool handed_on = false;  // its head went on to the next belt, and unload() is still to come
  bool stopped = false;
  double stopped_since_s = 0.0;
  double stopped_total_s = 0.0;

  double half_height() const { return 0.5 * part_height; }
  // Where a part's front and back are, from the entry. A part keeps its box when a belt takes it
  // over from the belt before it in a chain, so its own box says how long it is.
  double front_of(const btCollisionObject& part) const {
    return part.getWorldTransform().getOrigin().x() - entry_x + half_length_of(part);
  }
  double back_of(const btCollisionObject& part) const {
    return part.getWorldTransform().getOrigin().x() - entry_x - half_length_of(part);
  }
  static double half_length_of(const btCollisionObject& part) {
    return static_cast<const btBoxShape*>(part.getCollisionShape())->getHalfExtentsWithMargin().x();
  }
};

// The capacity floor(L / s) as ConveyorBelt counts it, where a part takes a pitch of the belt or,
// when it is longer, its length: floor(L / max(s, l)), the parts that queue wholly on the belt.
std::uint32_t capacity_of(const ConveyorSpec& spec, double part_length) {
  const double pitches =
      std::floor(spec.length_m / std::max(spec.spacing_m, part_length) * (1.0 + 1e-9));
  return static_cast<std::uint32_t>(
      std::clamp(pitches, 1.0, double{std::numeric_limits<std::uint32_t>::max()}));
}

btTransform at(double x, double y, double z) {
  btTransform t;
  t.setIdentity();
  t.setOrigin(btVector3(x, y, z));
  return t;
}

// The world, with the belts' drive: after collision detection, before the solver, every contact
// between a part and a belt surface gets the belt's direction as its first friction direction
// and, as the relative velocity friction drives towards (Bullet's "contact motion"), the speed of
// the belt the part is on (its user index), whichever surface of its chain it touches: a part
// taken over at a junction moves with its new belt (docs/physics.md, "Transfers between belts").
// Set here, per world, rather than in Bullet's global contact-added callback, so that worlds on
// other threads share nothing.
class BeltWorld final : public btDiscreteDynamicsWorld {
 public:
  BeltWorld(btDispatcher* dispatcher, btBroadphaseInterface* broadphase, btConstraintSolver* solver,
            btCollisionConfiguration* configuration, const std::vector<Belt>& belts)
      : btDiscreteDynamicsWorld(dispatcher, broadphase, solver, configuration), belts_(belts) {}

  void performDiscreteCollisionDetection() override {
    btDiscreteDynamicsWorld::performDiscreteCollisionDetection();
    btDispatcher& dispatcher = *getDispatcher();
    for (int m = 0; m < dispatcher.getNumManifolds(); ++m) {
      btPersistentManifold& manifold = *dispatcher.getManifoldByIndexInternal(m);
      const btCollisionObject* a = manifold.getBody0();
      const btCollisionObject* b = manifold.getBody1();
      const bool a_surface = a->getUserIndex2() == kSurface;
      if (!a_surface && b->getUserIndex2() != kSurface) continue;
      const btCollisionObject* part = a_surface ? b : a;
      if (part->getUserIndex2() != kPart) continue;
      const double speed = belts_[static_cast<std::size_t>(part->getUserIndex())].speed;
      // The solver drives (velocity of body 0 - velocity of body 1) along the direction to it.
      const double motion = a_surface ? -speed : speed;
      for (int p = 0; p < manifold.getNumContacts(); ++p) {
        btManifoldPoint& point = manifold.getContactPoint(p);
        point.m_lateralFrictionDir1 = btVector3(1, 0, 0);
        point.m_lateralFrictionDir2 = btVector3(0, 1, 0);
        point.m_contactMotion1 = motion;
        point.m_contactMotion2 = 0.0;
        point.m_contactPointFlags |= BT_CONTACT_FLAG_LATERAL_FRICTION_INITIALIZED;
      }
    }
  }

 private:
  const std::vector<Belt>& belts_;
};

class BulletConveyors final : public ConveyorPhysics {
 public:
  BulletConveyors(std::span<const ConveyorSpec> specs, std::span<const std::uint32_t> feeds)
      : dispatcher_(&configuration_), solver_() {
    broadphase_.getOverlappingPairCache()->setInternalGhostPairCallback(&ghost_pairs_);
    lay_out(specs, feeds);
    for (std::size_t b = 0; b < belts_.size(); ++b)
      make_belt(belts_[b], static_cast<int>(b));
    world_ =
        std::make_unique<BeltWorld>(&dispatcher_, &broadphase_, &solver_, &configuration_, belts_);
    world_->setGravity(btVector3(0, 0, -kGravity));
    // Cached friction directions are what lets a contact keep the belt's direction and speed.
    world_->getSolverInfo().m_solverMode |=
        SOLVER_USE_2_FRICTION_DIRECTIONS | SOLVER_ENABLE_FRICTION_DIRECTION_CACHING;
    for (Belt& belt : belts_) {
      world_->addRigidBody(belt.surface.get());
      if (belt.stop) world_->addRigidBody(belt.stop.get());
      for (btGhostObject* eye : {belt.exit_eye.get(), belt.entry_eye.get()})
        world_->addCollisionObject(eye, btBroadphaseProxy::SensorTrigger,
                                   btBroadphaseProxy::DefaultFilter);
    }
  }

  ~BulletConveyors() override {
    for (Belt& belt : belts_) {
      for (auto& part : belt.parts)
        world_->removeRigidBody(part.get());
    }
  }

  BulletConveyors(const BulletConveyors&) = delete;
  BulletConveyors& operator=(const BulletConveyors&) = delete;

  double step_s() const override { return kConveyorStepS; }

  void step() override {
    // One internal step of exactly kConveyorStepS (no interpolation, no accumulated remainder).
    world_->stepSimulation(kConveyorStepS, 0);
    ++steps_;
    for (Belt& belt : belts_)
      look(belt);
  }

  bool awake() const override {
    for (const Belt& belt : belts_) {
      for (const auto& part : belt.parts) {
        if (part->isActive()) return true;
      }
    }
    return false;
  }

  bool head_at_exit(std::uint32_t belt) const override { return belts_[belt].head_at_exit; }
  bool entry_clear(std::uint32_t belt) const override { return belts_[belt].entry_clear; }

  void load(std::uint32_t index) override {
    Belt& belt = belts_[index];
    assert(belt.entry_clear);
    if (belt.fed_by != kNoPhysicsBelt) {
      take_over(belt, index);
      return;
    }
    btRigidBody::btRigidBodyConstructionInfo info(kPartMass_kg, nullptr, belt.part_shape.get());
    auto part = std::make_unique<btRigidBody>(info);
    // Its front at the entry, on the surface, moving with the belt.
    part->setWorldTransform(
        at(belt.entry_x - 0.5 * belt.part_length, belt.lane_y, belt.half_height()));
    part->setLinearVelocity(btVector3(belt.speed, 0, 0));
    part->setFriction(kFriction);
    part->setRestitution(0.0);
    // Parts slide and never turn or leave their lane: boxes on a belt between guides.
    part->setAngularFactor(0.0);
    part->setLinearFactor(btVector3(1, 0, 1));
    part->setSleepingThresholds(kSleepSpeed, kSleepSpeed);
    part->setUserIndex(static_cast<int>(index));
    part->setUserIndex2(kPart);
    world_->addRigidBody(part.get());
    belt.parts.push_back(std::move(part));
    ++bodies_;
    ++in_world_;
    most_bodies_ = std::max(most_bodies_, in_world_);
    look(belt);
  }

  void unload(std::uint32_t index, double now) override {
    Belt& belt = belts_[index];
    if (belt.handed_on) {
      belt.handed_on = false;  // the body went on with the next belt
    } else {
      assert(belt.head_at_exit);
      world_->removeRigidBody(belt.parts.front().get());
      belt.parts.pop_front();
      --in_world_;
    }
    if (belt.stopped) {
      belt.stopped_total_s += now - belt.stopped_since_s;
      belt.stopped = false;
      belt.speed = belt.spec.speed_m_per_s;
    }
    wake(belt);
    look(belt);
  }

  void head_blocked(std::uint32_t index, double now) override {
    Belt& belt = belts_[index];
    if (belt.feeds != kNoPhysicsBelt && !belt.head_held) hold_head(belt);
    if (belt.spec.accumulating || belt.stopped) return;
    belt.stopped = true;
    belt.stopped_since_s = now;
    belt.speed = 0.0;
    wake(belt);  // parts slide to a stop on the halted belt
  }

  double stopped_time_s(std::uint32_t index, double now) const override {
    const Belt& belt = belts_[index];
    return belt.stopped_total_s + (belt.stopped ? now - belt.stopped_since_s : 0.0);
  }

  void positions(std::uint32_t index, std::vector<double>& out) const override {
    const Belt& belt = belts_[index];
    out.clear();
    for (const auto& part : belt.parts)
      out.push_back(std::clamp(belt.front_of(*part), 0.0, belt.spec.length_m));
  }

  std::uint64_t steps() const override { return steps_; }
  std::uint64_t bodies() const override { return bodies_; }
  std::uint64_t most_bodies() const override { return most_bodies_; }

 private:
  // The belts' chains (feeds, as ConveyorPhysicsFactory gives them): each chain in a lane of its
  // own, its belts end to end from the first.
  void lay_out(std::span<const ConveyorSpec> specs, std::span<const std::uint32_t> feeds) {
    belts_.resize(specs.size());
    for (std::size_t b = 0; b < specs.size(); ++b) {
      belts_[b].spec = specs[b];
      if (b < feeds.size() && feeds[b] != kNoPhysicsBelt) {
        assert(feeds[b] < specs.size() && belts_[feeds[b]].fed_by == kNoPhysicsBelt);
        belts_[b].feeds = feeds[b];
        belts_[feeds[b]].fed_by = static_cast<std::uint32_t>(b);
      }
    }
    double lane_y = 0.0;
    for (Belt& first : belts_) {
      if (first.fed_by != kNoPhysicsBelt) continue;
      double entry_x = 0.0;
      for (Belt* belt = &first;; belt = &belts_[belt->feeds]) {
        belt->lane_y = lane_y;
        belt->entry_x = entry_x;
        entry_x += belt->spec.length_m;
        if (belt->feeds == kNoPhysicsBelt) break;
      }
      lane_y += kLaneGap_m;
    }
  }

  void make_belt(Belt& belt, int index) {
    const ConveyorSpec& spec = belt.spec;
    const std::array<double, 3> part = belt_part_size(spec);
    belt.part_length = part[0];
    belt.part_width = part[1];
    belt.part_height = part[2];
    assert(belt.part_length > 0 && belt.part_length <= spec.length_m);
    assert(belt.part_width > 0 && belt.part_width <= kConveyorWidth_m && belt.part_height > 0);
    belt.capacity = capacity_of(spec, belt.part_length);
    belt.entry_line = std::max(spec.spacing_m - belt.part_length, 0.0);
    belt.speed = spec.speed_m_per_s;
    const double length = spec.length_m;
    const double p = belt.part_length;
    const double x0 = belt.entry_x;
    const double y = belt.lane_y;
    const double half_width = 0.5 * belt.part_width;
    const double half_height = belt.half_height();
    const double belt_half_width = 0.5 * kConveyorWidth_m;
    belt.part_shape = std::make_unique<btBoxShape>(btVector3(0.5 * p, half_width, half_height));
    // The surface: from a part's length before the entry (where a part is loaded) to a pitch past
    // the stop, its top at z = 0, as wide as the belt; in a chain, from junction to junction.
    const double surface_from = belt.fed_by != kNoPhysicsBelt ? 0.0 : -p;
    const double surface_to = belt.feeds != kNoPhysicsBelt ? length : length + p;
    belt.surface_shape = std::make_unique<btBoxShape>(
        btVector3(0.5 * (surface_to - surface_from), belt_half_width, 0.05));
    belt.surface = static_body(
        *belt.surface_shape, at(x0 + 0.5 * (surface_from + surface_to), y, -0.05), index, kSurface);
    // The stop: a wall whose face is the exit, across the belt, twice as tall as a part; none
    // where the belt feeds the next one.
    if (belt.feeds == kNoPhysicsBelt) {
      belt.stop_shape =
          std::make_unique<btBoxShape>(btVector3(0.05, belt_half_width, 2 * half_height));
      belt.stop =
          static_body(*belt.stop_shape, at(x0 + length + 0.05, y, 2 * half_height), index, kStop);
    }
    // The photo-eyes: over the last kExitEyeBefore_m before the stop (at a junction, on to a
    // part's length past it, so that a head a step carries over the junction is still seen), and
    // over the entry's room, from the back of a part just loaded to where the back of one a pitch
    // in is.
    const double exit_to = belt.feeds == kNoPhysicsBelt ? length : length + p;
    const double exit_from = length - kExitEyeBefore_m;
    belt.exit_shape = std::make_unique<btBoxShape>(
        btVector3(0.5 * (exit_to - exit_from), half_width, half_height));
    belt.exit_eye =
        ghost(*belt.exit_shape, at(x0 + 0.5 * (exit_from + exit_to), y, half_height), index);
    const double entry_to = belt.entry_line;
    belt.entry_shape =
        std::make_unique<btBoxShape>(btVector3(0.5 * (entry_to + p), half_width, half_height));
    belt.entry_eye = ghost(*belt.entry_shape, at(x0 + 0.5 * (entry_to - p), y, half_height), index);
  }

  // The head of the belt that feeds `belt`, at the junction, goes on as `belt`'s part: the same
  // body, driven from now on at this belt's speed, free again if it was held.
  void take_over(Belt& belt, std::uint32_t index) {
    Belt& from = belts_[belt.fed_by];
    assert(from.head_at_exit && !from.handed_on);
    std::unique_ptr<btRigidBody> part = std::move(from.parts.front());
    from.parts.pop_front();
    from.handed_on = true;
    from.head_held = false;
    part->setLinearFactor(btVector3(1, 0, 1));
    part->setUserIndex(static_cast<int>(index));
    part->activate(true);
    belt.parts.push_back(std::move(part));
    look(from);
    look(belt);
  }

  // A head refused at a junction stays where it stands: its motion along the belt is locked, a
  // stop that acts on it alone (a wall there could cut into a part still crossing the junction).
  void hold_head(Belt& belt) {
    btRigidBody& head = *belt.parts.front();
    head.setLinearFactor(btVector3(0, 0, 1));
    head.setLinearVelocity(btVector3(0, 0, head.getLinearVelocity().z()));
    belt.head_held = true;
  }

  static std::unique_ptr<btRigidBody> static_body(btBoxShape& shape, const btTransform& where,
                                                  int belt, Role role) {
    btRigidBody::btRigidBodyConstructionInfo info(0.0, nullptr, &shape);
    info.m_friction = kFriction;
    info.m_restitution = 0.0;
    auto body = std::make_unique<btRigidBody>(info);
    body->setWorldTransform(where);
    body->setUserIndex(belt);
    body->setUserIndex2(role);
    return body;
  }

  static std::unique_ptr<btGhostObject> ghost(btBoxShape& shape, const btTransform& where,
                                              int belt) {
    auto eye = std::make_unique<btGhostObject>();
    eye->setCollisionShape(&shape);
    eye->setWorldTransform(where);
    eye->setCollisionFlags(eye->getCollisionFlags() | btCollisionObject::CF_NO_CONTACT_RESPONSE);
    eye->setUserIndex(belt);
    eye->setUserIndex2(-1);
    return eye;
  }

  // The photo-eyes: each ghost's overlaps are the broadphase's (boxes grown by Bullet's contact
  // margins and the step's motion), so a part it overlaps breaks the beam only where its box is
  // actually past the beam's line.
  void look(Belt& belt) {
    belt.head_at_exit = false;
    const double exit_line = belt.spec.length_m - kExitEyeBefore_m;
    for (int i = 0; i < belt.exit_eye->getNumOverlappingObjects() && !belt.parts.empty(); ++i) {
      // Only the head can reach the exit: the parts behind it queue behind it.
      const btCollisionObject* object = belt.exit_eye->getOverlappingObject(i);
      if (object == belt.parts.front().get() && belt.front_of(*belt.parts.front()) >= exit_line)
        belt.head_at_exit = true;
    }
    // The entry has room once the back of every part of this belt is past the entry line (the
    // head of a belt feeding it, waiting over its entry, is not yet its part).
    const double entry_line = belt.entry_line;
    bool occupied = false;
    for (int i = 0; i < belt.entry_eye->getNumOverlappingObjects(); ++i) {
      const btCollisionObject* object = belt.entry_eye->getOverlappingObject(i);
      if (object->getUserIndex2() != kPart || object->getUserIndex() != belt_index(belt)) continue;
      if (belt.back_of(*object) < entry_line) occupied = true;
    }
    // A part just loaded is in the world but not yet in the broadphase's overlaps.
    if (!belt.parts.empty() && belt.back_of(*belt.parts.back()) < entry_line) occupied = true;
    belt.entry_clear = !occupied && belt.parts.size() < belt.capacity;
  }

  int belt_index(const Belt& belt) const { return static_cast<int>(&belt - belts_.data()); }

  void wake(Belt& belt) {
    for (auto& part : belt.parts)
      part->activate(true);
  }

  btGhostPairCallback ghost_pairs_;
  btDefaultCollisionConfiguration configuration_;
  btCollisionDispatcher dispatcher_;
  btDbvtBroadphase broadphase_;
  btSequentialImpulseConstraintSolver solver_;
  std::vector<Belt> belts_;
  std::unique_ptr<BeltWorld> world_;  // last: destroyed first, while what it uses still stands
  std::uint64_t steps_ = 0;
  std::uint64_t bodies_ = 0;
  std::uint64_t in_world_ = 0;
  std::uint64_t most_bodies_ = 0;
};

}  // namespace

std::unique_ptr<ConveyorPhysics> make_bullet_conveyors(std::span<const ConveyorSpec> belts,
                                                       std::span<const std::uint32_t> feeds) {
  return std::make_unique<BulletConveyors>(belts, feeds);
}

}  // namespace linetwin
