# Debian splits OpenCV into per-module -dev packages; only the meta package libopencv-dev (64 more
# packages) ships OpenCVConfig.cmake. We need core, imgproc and imgcodecs, so find those directly.
find_path(OpenCVModules_INCLUDE_DIR opencv2/core.hpp PATH_SUFFIXES opencv4)
set(_ocv_libs)
foreach(module core imgproc imgcodecs)
  find_library(OpenCVModules_${module}_LIBRARY NAMES opencv_${module})
  list(APPEND _ocv_libs OpenCVModules_${module}_LIBRARY)
endforeach()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(OpenCVModules REQUIRED_VARS OpenCVModules_INCLUDE_DIR ${_ocv_libs})
if(OpenCVModules_FOUND)
  foreach(module core imgproc imgcodecs)
    if(NOT TARGET opencv::${module})
      add_library(opencv::${module} UNKNOWN IMPORTED)
      set_target_properties(opencv::${module} PROPERTIES
        IMPORTED_LOCATION "${OpenCVModules_${module}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${OpenCVModules_INCLUDE_DIR}")
    endif()
  endforeach()
endif()
