// The semantic types of DTDL and the units each takes, as the specifications list them: DTDL v2
// (DTDL.v2.md, "Semantic Type"), and DTDL v3's QuantitativeTypes extension, version 1
// (DTDL.quantitativeTypes.v1.md), Azure/opendigitaltwins-dtdl @ the revision docs/dtdl.md names.
// dtdl_check.cpp checks a co-typed Property or Telemetry against them.
#pragma once

#include <string_view>

namespace linetwin {

struct DtdlSemanticType {
  std::string_view name;
  std::string_view units;  // separated by single spaces
};

inline constexpr DtdlSemanticType kDtdlV2SemanticTypes[] = {
    {"Acceleration", "centimetrePerSecondSquared gForce metrePerSecondSquared"},
    {"Angle", "degreeOfArc minuteOfArc radian secondOfArc turn"},
    {"AngularAcceleration", "radianPerSecondSquared"},
    {"AngularVelocity", "degreePerSecond radianPerSecond revolutionPerMinute revolutionPerSecond"},
    {"Area",
     "acre hectare squareCentimetre squareFoot squareInch squareKilometre squareMetre "
     "squareMillimetre"},
    {"Capacitance", "farad microfarad millifarad nanofarad picofarad"},
    {"Current", "ampere microampere milliampere"},
    {"DataRate",
     "bitPerSecond bytePerSecond exbibitPerSecond exbibytePerSecond gibibitPerSecond "
     "gibibytePerSecond kibibitPerSecond kibibytePerSecond mebibitPerSecond mebibytePerSecond "
     "tebibitPerSecond tebibytePerSecond yobibitPerSecond yobibytePerSecond zebibitPerSecond "
     "zebibytePerSecond"},
    {"DataSize",
     "bit byte exbibit exbibyte gibibit gibibyte kibibit kibibyte mebibit mebibyte tebibit "
     "tebibyte yobibit yobibyte zebibit zebibyte"},
    {"Density", "gramPerCubicMetre kilogramPerCubicMetre"},
    {"Distance",
     "astronomicalUnit centimetre foot inch kilometre metre micrometre mile millimetre nanometre "
     "nauticalMile"},
    {"ElectricCharge", "coulomb"},
    {"Energy", "electronvolt gigajoule joule kilojoule kilowattHour megaelectronvolt megajoule"},
    {"Force", "newton ounce pound ton"},
    {"Frequency", "gigahertz hertz kilohertz megahertz"},
    {"Humidity", "gramPerCubicMetre kilogramPerCubicMetre"},
    {"Illuminance", "footcandle lux"},
    {"Inductance", "henry microhenry millihenry"},
    {"Latitude", "degreeOfArc minuteOfArc radian secondOfArc turn"},
    {"Length",
     "astronomicalUnit centimetre foot inch kilometre metre micrometre mile millimetre nanometre "
     "nauticalMile"},
    {"Longitude", "degreeOfArc minuteOfArc radian secondOfArc turn"},
    {"Luminance", "candelaPerSquareMetre"},
    {"Luminosity",
     "gigawatt horsepower kilowatt kilowattHourPerYear megawatt microwatt milliwatt watt"},
    {"LuminousFlux", "lumen"},
    {"LuminousIntensity", "candela"},
    {"MagneticFlux", "maxwell weber"},
    {"MagneticInduction", "tesla"},
    {"Mass", "gram kilogram microgram milligram slug tonne"},
    {"MassFlowRate", "gramPerHour gramPerSecond kilogramPerHour kilogramPerSecond"},
    {"Power", "gigawatt horsepower kilowatt kilowattHourPerYear megawatt microwatt milliwatt watt"},
    {"Pressure",
     "bar inchesOfMercury inchesOfWater kilopascal millibar millimetresOfMercury pascal "
     "poundPerSquareInch"},
    {"RelativeHumidity", "percent unity"},
    {"Resistance", "kiloohm megaohm milliohm ohm"},
    {"SoundPressure", "bel decibel"},
    {"Temperature", "degreeCelsius degreeFahrenheit kelvin"},
    {"Thrust", "newton ounce pound ton"},
    {"TimeSpan", "day hour microsecond millisecond minute nanosecond second year"},
    {"Torque", "newtonMetre"},
    {"Velocity",
     "centimetrePerSecond kilometrePerHour kilometrePerSecond knot metrePerHour metrePerSecond "
     "milePerHour milePerSecond"},
    {"Voltage", "kilovolt megavolt microvolt millivolt volt"},
    {"Volume", "cubicCentimetre cubicFoot cubicInch cubicMetre fluidOunce gallon litre millilitre"},
    {"VolumeFlowRate", "litrePerHour litrePerSecond millilitrePerHour millilitrePerSecond"},
};

inline constexpr DtdlSemanticType kDtdlV3SemanticTypes[] = {
    {"Acceleration", "centimetrePerSecondSquared gForce metrePerSecondSquared"},
    {"Angle", "degreeOfArc minuteOfArc radian secondOfArc turn"},
    {"AngularAcceleration", "radianPerSecondSquared"},
    {"AngularVelocity", "degreePerSecond radianPerSecond revolutionPerMinute revolutionPerSecond"},
    {"ApparentEnergy", "gigavoltAmpereHour kilovoltAmpereHour megavoltAmpereHour voltAmpereHour"},
    {"ApparentPower", "gigavoltAmpere kilovoltAmpere megavoltAmpere millivoltAmpere voltAmpere"},
    {"Area",
     "acre hectare squareCentimetre squareFoot squareInch squareKilometre squareMetre "
     "squareMillimetre"},
    {"Capacitance", "farad microfarad millifarad nanofarad picofarad"},
    {"Concentration",
     "partsPerBillion partsPerMillion partsPerQuadrillion partsPerTrillion percent unity"},
    {"Current", "ampere kiloampere microampere milliampere"},
    {"DataRate",
     "bitPerSecond bytePerSecond exbibitPerSecond exbibytePerSecond gibibitPerSecond "
     "gibibytePerSecond kibibitPerSecond kibibytePerSecond mebibitPerSecond mebibytePerSecond "
     "tebibitPerSecond tebibytePerSecond yobibitPerSecond yobibytePerSecond zebibitPerSecond "
     "zebibytePerSecond"},
    {"DataSize",
     "bit byte exbibit exbibyte gibibit gibibyte kibibit kibibyte mebibit mebibyte tebibit "
     "tebibyte yobibit yobibyte zebibit zebibyte"},
    {"Density",
     "gramPerCubicMetre kilogramPerCubicMetre microgramPerCubicMetre milligramPerCubicMetre"},
    {"Distance",
     "astronomicalUnit centimetre foot inch kilometre metre micrometre mile millimetre nanometre "
     "nauticalMile"},
    {"ElectricCharge", "ampereHour coulomb milliampereHour"},
    {"Energy",
     "britishThermalUnit electronvolt gigajoule gigawattHour joule kiloBritishThermalUnit "
     "kilojoule kilowattHour megaelectronvolt megajoule megawattHour milliwattHour terawattHour "
     "wattHour"},
    {"EnergyRate",
     "britishThermalUnitPerHour gigajoulePerHour gigawatt horsepower joulePerHour joulePerSecond "
     "kiloBritishThermalUnitPerHour kilojoulePerHour kilojoulePerSecond kilowatt "
     "kilowattHourPerYear megajoulePerHour megawatt microwatt milliwatt tonOfRefrigeration watt"},
    {"Force", "newton ounce pound ton"},
    {"Frequency", "gigahertz hertz kilohertz megahertz millihertz"},
    {"Humidity",
     "gramPerCubicMetre kilogramPerCubicMetre microgramPerCubicMetre milligramPerCubicMetre"},
    {"Illuminance", "footcandle lux"},
    {"Inductance", "henry microhenry millihenry"},
    {"IonizingRadiationDose", "gray microgray microsievert milligray millisievert sievert"},
    {"Irradiance", "wattPerSquareMetre"},
    {"Latitude", "degreeOfArc minuteOfArc radian secondOfArc turn"},
    {"Length",
     "astronomicalUnit centimetre foot inch kilometre metre micrometre mile millimetre nanometre "
     "nauticalMile"},
    {"Longitude", "degreeOfArc minuteOfArc radian secondOfArc turn"},
    {"Luminance", "candelaPerSquareMetre"},
    {"Luminosity",
     "britishThermalUnitPerHour gigajoulePerHour gigawatt horsepower joulePerHour joulePerSecond "
     "kiloBritishThermalUnitPerHour kilojoulePerHour kilojoulePerSecond kilowatt "
     "kilowattHourPerYear megajoulePerHour megawatt microwatt milliwatt tonOfRefrigeration watt"},
    {"LuminousFlux", "lumen"},
    {"LuminousIntensity", "candela"},
    {"MagneticFlux", "maxwell weber"},
    {"MagneticInduction", "gauss tesla"},
    {"Mass", "gram kilogram massPound microgram milligram slug tonne"},
    {"MassFlowRate",
     "gramPerHour gramPerSecond kilogramPerHour kilogramPerSecond massPoundPerHour"},
    {"Power",
     "britishThermalUnitPerHour gigajoulePerHour gigawatt horsepower joulePerHour joulePerSecond "
     "kiloBritishThermalUnitPerHour kilojoulePerHour kilojoulePerSecond kilowatt "
     "kilowattHourPerYear megajoulePerHour megawatt microwatt milliwatt tonOfRefrigeration watt"},
    {"Pressure",
     "bar decapascal hectopascal inchesOfMercury inchesOfWater kilopascal millibar "
     "millimetresOfMercury pascal poundPerSquareInch"},
    {"Radioactivity", "becquerel gigabecquerel kilobecquerel megabecquerel"},
    {"ReactiveEnergy",
     "gigavoltAmpereReactiveHour kilovoltAmpereReactiveHour megavoltAmpereReactiveHour "
     "voltAmpereReactiveHour"},
    {"ReactivePower",
     "gigavoltAmpereReactive kilovoltAmpereReactive megavoltAmpereReactive millivoltAmpereReactive "
     "voltAmpereReactive"},
    {"RelativeDensity",
     "partsPerBillion partsPerMillion partsPerQuadrillion partsPerTrillion percent unity"},
    {"RelativeHumidity",
     "partsPerBillion partsPerMillion partsPerQuadrillion partsPerTrillion percent unity"},
    {"Resistance", "kiloohm megaohm milliohm ohm"},
    {"SoundPressure", "bel decibel"},
    {"Temperature", "degreeCelsius degreeFahrenheit kelvin"},
    {"Thrust", "newton ounce pound ton"},
    {"TimeSpan", "day hour microsecond millisecond minute nanosecond second year"},
    {"Torque", "newtonMetre"},
    {"Velocity",
     "centimetrePerSecond kilometrePerHour kilometrePerSecond knot metrePerHour metrePerSecond "
     "milePerHour milePerSecond"},
    {"Voltage", "kilovolt megavolt microvolt millivolt volt"},
    {"Volume", "cubicCentimetre cubicFoot cubicInch cubicMetre fluidOunce gallon litre millilitre"},
    {"VolumeFlowRate",
     "cubicFootPerMinute cubicMetrePerHour cubicMetrePerMinute cubicMetrePerSecond gallonPerHour "
     "gallonPerMinute litrePerHour litrePerMinute litrePerSecond millilitrePerHour "
     "millilitrePerMinute millilitrePerSecond"},
};

}  // namespace linetwin
