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
  double lane_y = 0.0;
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
  bool stopped = false;
  double stopped_since_s = 0.0;
  double stopped_total_s = 0.0;

  double half_height() const { return 0.5 * part_height; }
  double front_of(const btRigidBody& part) const {
    return part.getWorldTransform().getOrigin().x() + 0.5 * part_length;
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
// and the belt's speed as the relative velocity friction drives towards (Bullet's "contact
// motion"). Set here, per world, rather than in Bullet's global contact-added callback, so that
// worlds on other threads share nothing.
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
      const btCollisionObject* surface = a_surface ? a : b;
      const double speed = belts_[static_cast<std::size_t>(surface->getUserIndex())].speed;
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
  explicit BulletConveyors(std::span<const ConveyorSpec> specs)
      : dispatcher_(&configuration_), solver_() {
    broadphase_.getOverlappingPairCache()->setInternalGhostPairCallback(&ghost_pairs_);
    belts_.reserve(specs.size());
    for (const ConveyorSpec& spec : specs)
      belts_.push_back(make_belt(spec, static_cast<int>(belts_.size())));
    world_ =
        std::make_unique<BeltWorld>(&dispatcher_, &broadphase_, &solver_, &configuration_, belts_);
    world_->setGravity(btVector3(0, 0, -kGravity));
    // Cached friction directions are what lets a contact keep the belt's direction and speed.
    world_->getSolverInfo().m_solverMode |=
        SOLVER_USE_2_FRICTION_DIRECTIONS | SOLVER_ENABLE_FRICTION_DIRECTION_CACHING;
    for (Belt& belt : belts_) {
      world_->addRigidBody(belt.surface.get());
      world_->addRigidBody(belt.stop.get());
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
    btRigidBody::btRigidBodyConstructionInfo info(kPartMass_kg, nullptr, belt.part_shape.get());
    auto part = std::make_unique<btRigidBody>(info);
    // Its front at the entry, on the surface, moving with the belt.
    part->setWorldTransform(at(-0.5 * belt.part_length, belt.lane_y, belt.half_height()));
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
    assert(belt.head_at_exit);
    world_->removeRigidBody(belt.parts.front().get());
    belt.parts.pop_front();
    --in_world_;
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
  Belt make_belt(const ConveyorSpec& spec, int index) {
    Belt belt;
    belt.spec = spec;
    belt.lane_y = kLaneGap_m * index;
    const bool default_size = spec.part_size_m == std::array<double, 3>{};
    belt.part_length = default_size ? spec.spacing_m : spec.part_size_m[0];
    belt.part_width =
        default_size ? std::min(0.5 * spec.spacing_m, kConveyorWidth_m) : spec.part_size_m[1];
    belt.part_height = default_size ? 0.5 * spec.spacing_m : spec.part_size_m[2];
    assert(belt.part_length > 0 && belt.part_length <= spec.length_m);
    assert(belt.part_width > 0 && belt.part_width <= kConveyorWidth_m && belt.part_height > 0);
    belt.capacity = capacity_of(spec, belt.part_length);
    belt.entry_line = std::max(spec.spacing_m - belt.part_length, 0.0);
    belt.speed = spec.speed_m_per_s;
    const double length = spec.length_m;
    const double p = belt.part_length;
    const double half_width = 0.5 * belt.part_width;
    const double half_height = belt.half_height();
    const double belt_half_width = 0.5 * kConveyorWidth_m;
    belt.part_shape = std::make_unique<btBoxShape>(btVector3(0.5 * p, half_width, half_height));
    // The surface: from a part's length before the entry (where a part is loaded) to a pitch past
    // the stop, its top at z = 0, as wide as the belt.
    const double surface_from = -p;
    const double surface_to = length + p;
    belt.surface_shape = std::make_unique<btBoxShape>(
        btVector3(0.5 * (surface_to - surface_from), belt_half_width, 0.05));
    belt.surface =
        static_body(*belt.surface_shape, at(0.5 * (surface_from + surface_to), belt.lane_y, -0.05),
                    index, kSurface);
    // The stop: a wall whose face is the exit, across the belt, twice as tall as a part.
    belt.stop_shape =
        std::make_unique<btBoxShape>(btVector3(0.05, belt_half_width, 2 * half_height));
    belt.stop = static_body(*belt.stop_shape, at(length + 0.05, belt.lane_y, 2 * half_height),
                            index, kStop);
    // The photo-eyes: over the last kExitEyeBefore_m before the stop, and over the entry's room,
    // from the back of a part just loaded to where the back of one a pitch in is.
    belt.exit_shape =
        std::make_unique<btBoxShape>(btVector3(0.5 * kExitEyeBefore_m, half_width, half_height));
    belt.exit_eye = ghost(*belt.exit_shape,
                          at(length - 0.5 * kExitEyeBefore_m, belt.lane_y, half_height), index);
    const double entry_to = belt.entry_line;
    belt.entry_shape =
        std::make_unique<btBoxShape>(btVector3(0.5 * (entry_to + p), half_width, half_height));
    belt.entry_eye =
        ghost(*belt.entry_shape, at(0.5 * (entry_to - p), belt.lane_y, half_height), index);
    return belt;
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
    // The entry has room once the back of every part is past the entry line.
    const double entry_line = belt.entry_line;
    bool occupied = false;
    for (int i = 0; i < belt.entry_eye->getNumOverlappingObjects(); ++i) {
      const btCollisionObject* object = belt.entry_eye->getOverlappingObject(i);
      if (object->getUserIndex2() != kPart) continue;
      const double back = object->getWorldTransform().getOrigin().x() - 0.5 * belt.part_length;
      if (back < entry_line) occupied = true;
    }
    // A part just loaded is in the world but not yet in the broadphase's overlaps.
    if (!belt.parts.empty()) {
      const btRigidBody& last = *belt.parts.back();
      if (last.getWorldTransform().getOrigin().x() - 0.5 * belt.part_length < entry_line)
        occupied = true;
    }
    belt.entry_clear = !occupied && belt.parts.size() < belt.capacity;
  }

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

std::unique_ptr<ConveyorPhysics> make_bullet_conveyors(std::span<const ConveyorSpec> belts) {
  return std::make_unique<BulletConveyors>(belts);
}

}  // namespace linetwin
