# Runs at install time (install(CODE) in CMakeLists.txt), when the final
# prefix is known: installs the unit with its paths rewritten for that
# prefix, and the example configuration as <sysconfdir>/dnp3d/dnp3d.conf
# unless one is already there (an operator's file is never overwritten).
#
# In:  CMAKE_INSTALL_PREFIX, DNP3D_DEPLOY_SRC, DNP3D_DEPLOY_BIN,
#      DNP3D_SBINDIR and DNP3D_SYSCONFDIR (GNUInstallDirs' relative or
#      absolute values from configure time).

# The GNUInstallDirs rule, applied to the install-time prefix.
if(IS_ABSOLUTE "${DNP3D_SYSCONFDIR}")
  set(etc "${DNP3D_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(etc "/${DNP3D_SYSCONFDIR}")
elseif(CMAKE_INSTALL_PREFIX MATCHES "^/opt/")
  set(etc "/${DNP3D_SYSCONFDIR}${CMAKE_INSTALL_PREFIX}")
else()
  set(etc "${CMAKE_INSTALL_PREFIX}/${DNP3D_SYSCONFDIR}")
endif()
if(IS_ABSOLUTE "${DNP3D_SBINDIR}")
  set(sbin "${DNP3D_SBINDIR}")
else()
  set(sbin "${CMAKE_INSTALL_PREFIX}/${DNP3D_SBINDIR}")
endif()

file(READ "${DNP3D_DEPLOY_SRC}/dnp3d.service" unit)
string(REPLACE "/usr/sbin/dnp3d " "${sbin}/dnp3d " unit "${unit}")
string(REPLACE "/etc/dnp3d/dnp3d.conf" "${etc}/dnp3d/dnp3d.conf" unit "${unit}")
file(WRITE "${DNP3D_DEPLOY_BIN}/unit/dnp3d.service" "${unit}")
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system"
  TYPE FILE
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
  FILES "${DNP3D_DEPLOY_BIN}/unit/dnp3d.service")

if(EXISTS "$ENV{DESTDIR}${etc}/dnp3d/dnp3d.conf")
  message(STATUS "Keeping: $ENV{DESTDIR}${etc}/dnp3d/dnp3d.conf "
    "(the example is in the documentation directory)")
else()
  file(INSTALL DESTINATION "${etc}/dnp3d"
    TYPE FILE
    PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
    DIR_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE
                    GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE
    FILES "${DNP3D_DEPLOY_SRC}/dnp3d.conf")
endif()

# The MQTT bridge's unit (dnp3-mqtt(1)), with the prefix's bin directory.
file(READ "${DNP3D_DEPLOY_SRC}/dnp3-mqtt.service" unit)
string(REPLACE "/usr/bin/dnp3-mqtt " "${CMAKE_INSTALL_PREFIX}/bin/dnp3-mqtt "
  unit "${unit}")
file(WRITE "${DNP3D_DEPLOY_BIN}/unit/dnp3-mqtt.service" "${unit}")
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system"
  TYPE FILE
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
  FILES "${DNP3D_DEPLOY_BIN}/unit/dnp3-mqtt.service")

# dnp3-status's metrics for node_exporter (dnp3-status(1)): the service,
# with the prefix's bin directory, and its timer.
file(READ "${DNP3D_DEPLOY_SRC}/dnp3-status-prometheus.service" unit)
string(REPLACE "/usr/bin/dnp3-status " "${CMAKE_INSTALL_PREFIX}/bin/dnp3-status "
  unit "${unit}")
file(WRITE "${DNP3D_DEPLOY_BIN}/unit/dnp3-status-prometheus.service" "${unit}")
file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system"
  TYPE FILE
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
  FILES "${DNP3D_DEPLOY_BIN}/unit/dnp3-status-prometheus.service"
        "${DNP3D_DEPLOY_SRC}/dnp3-status-prometheus.timer")
