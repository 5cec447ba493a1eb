# The Debian package: "cpack -G DEB" in a build directory (see README,
# "Installing as a service"). Included from deploy/CMakeLists.txt, the last
# folder the top level adds, so every install rule is known by then.
#
# The package is always laid out for prefix /usr (CPACK_SET_DESTDIR and
# CPACK_INSTALL_PREFIX make CPack install with DESTDIR and
# CMAKE_INSTALL_PREFIX=/usr, so that
# install.cmake puts the configuration in /etc and writes /usr/sbin/dnp3d
# into the unit), whatever prefix the build directory was configured with.

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME dnp3d)
set(CPACK_PACKAGE_VENDOR "dnp3d project")
set(CPACK_PACKAGE_CONTACT "dnp3d maintainers <dnp3d@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "hardened DNP3 (IEEE 1815) outstation server")
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# CPack puts the summary first and indents these lines itself.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"dnp3d serves several DNP3 outstations on one TCP port and routes each
master to its outstation by IP address. The code that parses DNP3 runs in
one process per outstation, without privileges, in an empty chroot and
under a seccomp allowlist. Events go out as JSON on a nanomsg bus.

This package contains the server, its systemd unit, the dnp3-events and
dnp3-master tools, and an example configuration in /etc/dnp3d.")
# Library dependencies come from dpkg-shlibdeps (package dpkg-dev);
# adduser is for the postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# conffiles lists absolute paths in the package: /etc because of /usr above.
set(dnp3d_debian ${CMAKE_CURRENT_BINARY_DIR}/debian)
file(MAKE_DIRECTORY ${dnp3d_debian})
file(WRITE ${dnp3d_debian}/conffiles "/etc/dnp3d/dnp3d.conf\n")
foreach(script postinst prerm postrm)
  configure_file(${CMAKE_CURRENT_SOURCE_DIR}/debian/${script}
    ${dnp3d_debian}/${script} COPYONLY)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${dnp3d_debian}/conffiles ${dnp3d_debian}/postinst
  ${dnp3d_debian}/prerm ${dnp3d_debian}/postrm)

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
include(CPack)
